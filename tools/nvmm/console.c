/*
 * nvmm's console input: standard input read on a thread of its own and
 * given to the PL011's receive FIFO, blocking while the guest has not
 * made room. On a terminal, the terminal goes into raw mode for the run
 * (the guest's own tty echoes and edits) and Ctrl-A x stops nvmm, as in
 * QEMU's character devices.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "nvmm.h"

#define CTRL_A 0x01

size_t console_filter(struct console_escape *e, const uint8_t *in, size_t n, uint8_t *out)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		uint8_t c = in[i];
		if (!e->armed) {
			if (c == CTRL_A)
				e->armed = 1;
			else
				out[k++] = c;
			continue;
		}
		e->armed = 0;
		if (c == 'x' || c == 'X')
			return CONSOLE_QUIT;
		/* Ctrl-A Ctrl-A is one Ctrl-A; Ctrl-A then anything else is both. */
		out[k++] = CTRL_A;
		if (c != CTRL_A)
			out[k++] = c;
	}
	return k;
}

struct console {
	struct pl011 *uart;
	int fd;
	int tty;
	void (*quit)(void *);
	void *ctx;
	pthread_t thread;
};

static struct termios saved_termios;
static int saved_fd = -1;

static void restore_terminal(void)
{
	if (saved_fd >= 0)
		tcsetattr(saved_fd, TCSANOW, &saved_termios);
}

/* Raw mode (termios(3)'s cfmakeraw, keeping output processing so that
 * nvmm's and the guest's lines still end where they should). */
static int raw_terminal(int fd)
{
	struct termios t;
	if (tcgetattr(fd, &t) < 0)
		return -1;
	saved_termios = t;
	saved_fd = fd;
	atexit(restore_terminal);
	t.c_iflag &= ~(tcflag_t)(IGNBRK | BRKINT | PARMRK | ISTRIP | INLCR | IGNCR | ICRNL | IXON);
	t.c_lflag &= ~(tcflag_t)(ECHO | ECHONL | ICANON | ISIG | IEXTEN);
	t.c_cc[VMIN] = 1;
	t.c_cc[VTIME] = 0;
	return tcsetattr(fd, TCSANOW, &t);
}

static void *console_thread(void *arg)
{
	struct console *c = arg;
	struct console_escape esc = { 0 };
	uint8_t in[64], out[2 * sizeof(in)];

	for (;;) {
		ssize_t n = read(c->fd, in, sizeof(in));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return NULL; /* end of input: the guest just gets no more */
		size_t k = (size_t)n;
		const uint8_t *p = in;
		if (c->tty) {
			k = console_filter(&esc, in, (size_t)n, out);
			if (k == CONSOLE_QUIT) {
				nvmm_msg("Ctrl-A x: stopping the VM");
				c->quit(c->ctx);
				return NULL;
			}
			p = out;
		}
		pl011_receive_all(c->uart, p, k);
	}
}

int console_start(struct pl011 *u, int in_fd, void (*quit)(void *), void *ctx)
{
	static struct console c;
	c = (struct console){ .uart = u, .fd = in_fd, .quit = quit, .ctx = ctx };
	c.tty = isatty(in_fd);
	if (c.tty && raw_terminal(in_fd) < 0)
		nvmm_msg("standard input: cannot set raw mode (%s); input is line by line",
			 strerror(errno));
	int rc = pthread_create(&c.thread, NULL, console_thread, &c);
	if (rc) {
		nvmm_err("starting the console input thread: %s", strerror(rc));
		return -1;
	}
	pthread_detach(c.thread);
	return 0;
}
