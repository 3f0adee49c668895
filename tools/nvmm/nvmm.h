/* nvmm: a small KVM virtual machine monitor for arm64 Linux guests. */
#ifndef NVMM_H
#define NVMM_H

#include <pthread.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* The guest's physical memory map (IPA). */
#define GUEST_GICD_BASE   0x08000000ULL
#define GUEST_GICD_SIZE   0x00010000ULL
#define GUEST_GICR_BASE   0x080a0000ULL
#define GUEST_GICR_STRIDE 0x00020000ULL /* RD_base + SGI_base frames */
#define GUEST_UART_BASE   0x09000000ULL
#define GUEST_UART_SIZE   0x00001000ULL
#define GUEST_UART_SPI    1U            /* INTID 33 */
#define GUEST_RAM_BASE    0x40000000ULL

#define NVMM_MAX_CPUS   64U /* redistributors fit below the UART */
#define NVMM_MIN_MEM_MB 16UL
#define NVMM_MAX_MEM_MB (1024UL * 1024UL) /* 1 TiB */
#define NVMM_MAX_CMDLINE 4095U /* bytes, without the NUL */

/* Exit statuses. */
#define NVMM_EXIT_OK    0 /* the guest powered off or reset */
#define NVMM_EXIT_ERROR 1 /* the VMM failed (KVM, files, layout) */
#define NVMM_EXIT_USAGE 2 /* bad arguments */
#define NVMM_EXIT_CRASH 3 /* the guest reported a crash */

struct nvmm_opts {
	const char *kernel;
	const char *initrd;   /* NULL: none */
	const char *cmdline;
	const char *dump_dtb; /* NULL: run; else write the DTB there and stop */
	unsigned long mem_mb;
	unsigned int cpus;
	int el2;
};

/* opts.c: the command line into o (its defaults first); OPTS_BAD after
 * an error's lines, OPTS_HELP for --help (nvmm_usage is its text). */
enum { OPTS_RUN, OPTS_HELP, OPTS_BAD };
int opts_parse(int argc, char **argv, struct nvmm_opts *o);
extern const char nvmm_usage[];

/* A file read into memory. */
struct blob {
	uint8_t *data;
	size_t size;
};

/* file.c: the what ("kernel", "initrd") at path into b (malloc'd); -1
 * after an error's line. */
int file_read(const char *path, const char *what, struct blob *b);

/* Where everything goes in guest RAM. */
struct layout {
	uint64_t ram_base, ram_size;
	uint64_t kernel_addr, kernel_size; /* kernel_size: image_size, bss included */
	uint64_t initrd_addr, initrd_size; /* size 0: none */
	uint64_t dtb_addr;
	uint64_t dtb_max;
};

/* image.c */
int image_check(const struct blob *kernel, uint64_t *text_offset, uint64_t *image_size,
		char *err, size_t errlen);
int layout_plan(struct layout *l, uint64_t ram_size, const struct blob *kernel,
		size_t initrd_size, char *err, size_t errlen);
unsigned int ipa_bits_for(uint64_t top);
int ipa_plan(uint64_t top, int max, unsigned int *bits, char *err, size_t errlen);

/* fdt.c */
struct fdt_params {
	const struct layout *layout;
	const char *cmdline;
	unsigned int cpus;
	const uint64_t *mpidr; /* cpus entries */
	int el2;
};
int fdt_build(void *buf, size_t size, const struct fdt_params *p);

/* dump.c: --dump-dtb, the tree of o's VM (CPU n with MPIDR n) written
 * to o->dump_dtb; an exit status, after an error's line if not 0. */
int dump_dtb(const struct nvmm_opts *o, const struct blob *kernel, const struct blob *initrd);

/* pl011.c: the UART's registers and receive FIFO, behind its lock. */
#define PL011_NREGS (0x04c / 4)
#define PL011_RX_FIFO 32U
struct pl011 {
	pthread_mutex_t lock;
	pthread_cond_t rx_space; /* signalled when the receive FIFO drains */
	uint32_t reg[PL011_NREGS]; /* by offset / 4, up to UARTDMACR */
	uint8_t rx[PL011_RX_FIFO];
	unsigned int rx_head, rx_count;
	int out_fd;
	void (*set_irq)(void *ctx, int level);
	void *irq_ctx;
	int irq_level;
};
void pl011_init(struct pl011 *u, int out_fd, void (*set_irq)(void *, int), void *ctx);
uint32_t pl011_read(struct pl011 *u, uint64_t off);
void pl011_write(struct pl011 *u, uint64_t off, uint32_t val);
/* Host input for the guest: pl011_receive takes what fits in the FIFO now
 * (none while UARTCR has the receiver off) and says how much;
 * pl011_receive_all waits for the guest to make room until all is in. */
size_t pl011_receive(struct pl011 *u, const uint8_t *buf, size_t n);
void pl011_receive_all(struct pl011 *u, const uint8_t *buf, size_t n);

/* console.c: standard input to the UART, on a thread of its own. On a
 * terminal, nvmm puts it in raw mode (restored at exit) and takes Ctrl-A x
 * to stop (quit is called), Ctrl-A Ctrl-A for one Ctrl-A. */
struct console_escape {
	int armed; /* the last byte was Ctrl-A */
};
#define CONSOLE_QUIT ((size_t)-1)
size_t console_filter(struct console_escape *e, const uint8_t *in, size_t n, uint8_t *out);
int console_start(struct pl011 *u, int in_fd, void (*quit)(void *), void *ctx);

/* vcpu_exit.c: a vCPU's exit from KVM_RUN handled (uart for its MMIO,
 * index its number in messages): VCPU_RUN_AGAIN, or the run's exit
 * status after the line that says why. */
#define VCPU_RUN_AGAIN (-1)
struct kvm_run;
int vcpu_exit(struct pl011 *uart, unsigned int index, struct kvm_run *r);

/* kvm.c */
int vmm_run(const struct nvmm_opts *o, const struct blob *kernel, const struct blob *initrd);

/* msg.c: nvmm's own lines, "nvmm: error: ..." and "nvmm: ...", each
 * ending in a newline, on nvmm_log_file(): nvmm_log, or standard error
 * while it is NULL (the tests set it). */
extern FILE *nvmm_log;
FILE *nvmm_log_file(void);
void nvmm_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void nvmm_verr(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));
void nvmm_msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
