/* The guest's files (kernel, initrd) read whole into memory. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "nvmm.h"

int file_read(const char *path, const char *what, struct blob *b)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		nvmm_err("cannot open the %s '%s': %s", what, path, strerror(errno));
		return -1;
	}
	struct stat st;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		nvmm_err("the %s '%s' is not a regular file", what, path);
		close(fd);
		return -1;
	}
	b->size = (size_t)st.st_size;
	b->data = malloc(b->size ? b->size : 1);
	if (!b->data) {
		nvmm_err("no memory for the %s '%s' (%zu bytes)", what, path, b->size);
		close(fd);
		return -1;
	}
	size_t got = 0;
	while (got < b->size) {
		ssize_t n = read(fd, b->data + got, b->size - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			nvmm_err("reading the %s '%s': %s", what, path, n ? strerror(errno) : "short file");
			close(fd);
			return -1;
		}
		got += (size_t)n;
	}
	close(fd);
	return 0;
}
