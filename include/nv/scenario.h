/*
 * Running a scenario: the bundle (a cpio archive passed as nestvisor's
 * initrd) holds scenario.dtb, with one node per VM, and the images the VMs
 * name. Each VM is checked and built on its own: a bad one is reported and
 * the others still run.
 */
#ifndef NV_SCENARIO_H
#define NV_SCENARIO_H

#include <nv/bootparam.h>
#include <nv/cpufeature.h>
#include <nv/platform.h>

#define SCENARIO_FILE "scenario.dtb"

__noreturn void scenario_run(const struct platform *p,
			     const struct cpu_features *f,
			     const struct id_regs *id, enum nested_mode nested);

#endif
