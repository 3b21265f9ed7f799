# SPDX-License-Identifier: GPL-2.0
#
# The build side of module/compat.h: probes of the kernel's headers, each
# defining a MACH_COMPAT_* that only compat.h reads, and the C++ core's
# flags that depend on the kernel or its compiler. Included by Kbuild.

# One clear line, not a page of compiler errors, on a kernel we cannot
# support.
ifneq ($(shell [ "$(VERSION)" -gt 6 ] || { [ "$(VERSION)" -eq 6 ] && [ "$(PATCHLEVEL)" -ge 1 ]; } && echo y),y)
$(error mach: Linux $(KERNELRELEASE) is older than 6.1, the oldest kernel the module supports)
endif
# (make clean reads this without the kernel's configuration.)
ifneq ($(CONFIG_CC_VERSION_TEXT),)
ifneq ($(CONFIG_CC_IS_GCC),y)
$(error mach: Linux $(KERNELRELEASE) was built with $(CONFIG_CC_VERSION_TEXT); the C++ core needs the g++ of the gcc that built the kernel)
endif
endif

# $(call mach-probe,REGEX,HEADER): y if the kernel's include/HEADER matches.
mach-probe = $(shell grep -qsE '$(1)' $(srctree)/include/$(2) && echo y)

mach-compat-$(call mach-probe,vm_flags_set,linux/mm.h) += VM_FLAGS_SET
mach-compat-$(call mach-probe,vma_is_shared_maywrite,linux/mm.h) += SHARED_MAYWRITE
mach-compat-$(call mach-probe,vm_area_struct \*\*vmas,linux/mm.h) += GUP_VMAS
mach-compat-$(call mach-probe,struct percpu_counter rss_stat,linux/mm_types.h) += RSS_PERCPU
mach-compat-$(call mach-probe,get_mm_rss_sum,linux/mm.h) += GET_MM_RSS_SUM
mach-compat-$(call mach-probe,shmem_file_setup.*vma_flags_t,linux/shmem_fs.h) += SHMEM_VMA_FLAGS
# An enum: no #ifdef sees it.
mach-compat-$(call mach-probe,\<WQ_PERCPU\>,linux/workqueue.h) += WQ_PERCPU
# Dumpability moved from the mm to task->exec_state (7.x).
mach-compat-$(call mach-probe,task_exec_state_get_dumpable,linux/sched/coredump.h) += EXEC_STATE
# rseq's state became a struct of its own, the area its usrptr (7.x).
mach-compat-$(call mach-probe,struct rseq_data,linux/rseq_types.h) += RSEQ_DATA
ccflags-y += $(addprefix -DMACH_COMPAT_,$(mach-compat-y))

# Since 6.12 Debian's headers carry vmlinux, and Kbuild makes BTF for the
# module with pahole, which cannot encode the C++ core's types (templates,
# DW_TAG_reference_type) and fails the build. The core then keeps line
# tables and function names only (-g1: backtraces and addr2line work), so
# that the glue's types still reach BTF.
ifneq ($(and $(CONFIG_DEBUG_INFO_BTF_MODULES),$(wildcard $(objtree)/vmlinux)),)
mach-cxxflags-compat += -g1
endif

# g++ 14 puts the __patchable_function_entries of an inline or template
# function (-fpatchable-function-entry, kernels with CONFIG_CALL_PADDING)
# in that function's COMDAT group, which ld -r keeps: the module then has
# several sections of that name, and insmod fails (EEXIST from sysfs).
# Resolving the groups when mach.o is linked (what a final link does)
# leaves one. Harmless with older compilers.
ldflags-y += --force-group-allocation

# The kernel adds KASAN's and UBSAN's flags to each C object (Makefile.lib,
# not KBUILD_CFLAGS): the core takes them too, so that on a debug kernel
# (scripts/debug-kernel.config) its accesses are checked as the glue's
# are. Without KASAN's globals: their registration is a static
# constructor, which the core may not have (scripts/check-core-objects).
ifdef CONFIG_KASAN
mach-cxxflags-compat += $(CFLAGS_KASAN) --param asan-globals=0
endif
ifdef CONFIG_UBSAN
mach-cxxflags-compat += $(CFLAGS_UBSAN)
endif
# Their report calls are cold: gcc moves them into FUNCTION.cold parts,
# and objtool refuses a .cold whose parent's name (a lambda in a
# template, mangled) is over 128 characters. The core keeps them inline.
ifneq ($(CONFIG_KASAN)$(CONFIG_UBSAN),)
mach-cxxflags-compat += -fno-reorder-blocks-and-partition
endif
