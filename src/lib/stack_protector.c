/* libfdt.a is built with the stack protector: give it a guard to compare. */
#include <nv/types.h>

uintptr_t __stack_chk_guard = (uintptr_t)0x5e1f0d0a0b0c0d0eULL;
__noreturn void __stack_chk_fail(void);
__noreturn void __stack_chk_fail(void)
{
	nv_check_failed("libfdt", 0, "stack protector");
}
