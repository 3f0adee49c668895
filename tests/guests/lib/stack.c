/* libfdt.a is built with the stack protector: the guests' guard. */
#include "guest.h"

unsigned long __stack_chk_guard = 0x595e9fbd94fda766UL;
noreturn void __stack_chk_fail(void);
noreturn void __stack_chk_fail(void)
{
	bail_out("stack protector: stack smashing detected");
}
