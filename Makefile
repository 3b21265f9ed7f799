# SPDX-License-Identifier: GPL-2.0
#
#   make          mach.ko, libmach (static and shared), tools, selftests,
#                 host unit tests
#   make check    install what is missing, build (on JOBS CPUs, all by
#                 default), run the host unit tests, build mach.ko for
#                 every kernel of the matrix (by dkms for Debian's), run
#                 the kselftests in the test VM on the host's kernel, on
#                 6.12 and on the debug kernel; it lists each step's time
#   make check-matrix   the same, the kselftests on every package kernel of the
#                       matrix (6.1, 6.1-rt, 6.12, 7.x; the debug lane: check-debug)
#   make check-debug    the kselftests on the debug kernel only: Debian's
#                 linux-source-6.1 with lockdep, KASAN, UBSAN, kmemleak,
#                 KFENCE, DEBUG_LIST/OBJECTS/VM, built once into
#                 build/kernels/6.1-debug (scripts/debug-kernel.config); any
#                 report, or an object kmemleak finds after rmmod, fails
#   make demo     build, boot the test VM with mach.ko loaded, run the demo
#   make fuzz-vm  boot the test VM and run the fuzzer of call sequences
#                 (selftests/fuzz_calls) for FUZZ_VM_TIME seconds (300),
#                 with FUZZ_VM_ARGS (-s SEED, -p, -T, -x, ...); it prints
#                 its seed, the calls made, and any leak, hang or splat
#   make fuzz     the host libFuzzer over the core's message path
#   make install  libmach, its headers, mach.pc, the man pages and the
#                 module's sources for DKMS (PREFIX, LIBDIR, ..., DESTDIR:
#                 see install.mk); make uninstall
#   make C=1 / W=1 are passed to Kbuild for the module.
#
#   KERNEL=NAME   build mach.ko for, and boot the VM (check, demo, bench)
#                 on, that kernel of the matrix (scripts/kernels list:
#                 6.1, 6.1-rt, 6.12, 7.x, ...) instead of the host's.

KERNEL ?=
export KERNEL
KVER ?= $(shell scripts/kver 2>/dev/null)
KDIR ?= /lib/modules/$(KVER)/build
BUILD := build
# The checks build on every CPU: make check's build is half its time else.
JOBS ?= $(shell nproc)
export JOBS

CC ?= gcc
CXX ?= g++
WARN := -Wall -Wextra -Werror
CXXLANG := -std=c++20 -fno-exceptions -fno-rtti
INCLUDES := -Ilibmach/include -Iuapi

# unimplemented.cc last: its placeholders never shadow a real call.
LIBMACH_SRCS := $(filter-out %/unimplemented.cc,$(wildcard libmach/src/*.cc)) libmach/src/unimplemented.cc
LIBMACH_OBJS := $(LIBMACH_SRCS:libmach/src/%.cc=$(BUILD)/obj/libmach/%.o)
LIBMACH_HDRS := $(shell find libmach/include libmach/src uapi -name '*.h')

KSFT := $(BUILD)/kselftest

TOOL_SRCS := $(wildcard libmach/tools/*.c)
TOOLS := $(TOOL_SRCS:libmach/tools/%.c=$(BUILD)/bin/%) $(BUILD)/bin/machctl

CORE_SRCS := $(filter-out %_test.cc,$(wildcard module/core/*.cc))
UNIT_SRCS := $(wildcard module/core/tests/*.cc)
UNIT := $(BUILD)/unit/core_tests
SANITIZE := -fsanitize=address,undefined -fno-sanitize-recover=all

.PHONY: all module libmach selftests tools unit check check-matrix check-debug demo bench clean \
	clean-kernels deps fuzz fuzz-build fuzz-vm

all: module libmach tools selftests unit fuzz-build

ifeq ($(KERNEL),)
module:
	@test -n "$(KVER)" || { echo "no kernel headers: run scripts/install-deps"; exit 1; }
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules
	scripts/check-core-objects module/core/*.o
else
# Into build/kernels/$(KERNEL)/mach.ko, in a chroot if that kernel needs one.
module:
	scripts/kernels build $(KERNEL)
endif

libmach: $(BUILD)/lib/libmach.a $(BUILD)/lib/libmach.so

$(BUILD)/obj/libmach/%.o: libmach/src/%.cc $(LIBMACH_HDRS)
	@mkdir -p $(dir $@)
	$(CXX) $(CXXLANG) $(WARN) -O2 -g -fPIC -fvisibility=hidden $(INCLUDES) $(CPPFLAGS) $(CXXFLAGS) -c -o $@ $<

$(BUILD)/lib/libmach.a: $(LIBMACH_OBJS)
	@mkdir -p $(dir $@)
	rm -f $@ && ar rcs $@ $^

$(BUILD)/lib/libmach.so: $(LIBMACH_OBJS) libmach/libmach.map
	@mkdir -p $(dir $@)
	$(CXX) -shared -Wl,-soname,libmach.so.1 -Wl,--version-script=libmach/libmach.map \
		-Wl,-z,defs $(LDFLAGS) -o $@ $(LIBMACH_OBJS) -nodefaultlibs -lc -lgcc

$(KSFT)/kselftest_harness.h:
	scripts/kselftest-headers $(KSFT)

# selftests/Makefile is in the kselftest form (see there).
selftests: $(BUILD)/lib/libmach.a $(KSFT)/kselftest_harness.h
	$(MAKE) -C selftests CC=$(CC) MACH_SRC=$(CURDIR) KSFT_DIR=$(CURDIR)/$(KSFT) \
		OUTPUT=$(CURDIR)/$(BUILD)/selftests

tools: $(TOOLS)

# Nothing but its own instructions (see the source).
$(BUILD)/bin/mach-nop: libmach/tools/mach-nop.c
	@mkdir -p $(dir $@)
	$(CC) -static -nostdlib -fno-stack-protector -O2 $(WARN) -o $@ $<

$(BUILD)/bin/%: libmach/tools/%.c $(BUILD)/lib/libmach.a
	@mkdir -p $(dir $@)
	$(CC) -static -O2 $(WARN) $(INCLUDES) -o $@ $< $(BUILD)/lib/libmach.a -lpthread

# The operator's tool (C++, libnl-genl-3), static for the test VM.
NL_CFLAGS := $(shell pkg-config --cflags libnl-genl-3.0 2>/dev/null || echo -I/usr/include/libnl3)
$(BUILD)/bin/machctl: libmach/tools/machctl.cc uapi/mach/netlink.h
	@mkdir -p $(dir $@)
	$(CXX) -std=c++20 -static -O2 $(WARN) $(INCLUDES) $(NL_CFLAGS) -o $@ $< \
		-lnl-genl-3 -lnl-3 -lpthread -lm

unit: $(UNIT)

$(UNIT): $(CORE_SRCS) $(UNIT_SRCS) $(wildcard module/core/*.h) uapi/mach/abi.h
	@mkdir -p $(dir $@)
	$(CXX) $(CXXLANG) $(WARN) -g -O1 $(SANITIZE) -DMACH_CORE_CHECK_LOCKS -Imodule/core -Iuapi -Ilibmach/include \
		-o $@ $(CORE_SRCS) $(UNIT_SRCS) -lgtest -lgtest_main -lpthread

# libFuzzer over the core's message path (clang), with ASan and UBSan.
FUZZ := $(BUILD)/unit/msg_fuzz
FUZZ_TIME ?= 600

fuzz-build: $(FUZZ)

$(FUZZ): $(CORE_SRCS) module/core/fuzz/msg_fuzz.cc module/core/tests/shim_user.cc $(wildcard module/core/*.h)
	@mkdir -p $(dir $@)
	clang++ $(CXXLANG) -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
		-DMACH_CORE_CHECK_LOCKS -Imodule/core -Iuapi -o $@ $(CORE_SRCS) module/core/fuzz/msg_fuzz.cc \
		module/core/tests/shim_user.cc

fuzz: $(FUZZ)
	mkdir -p $(BUILD)/fuzz-corpus
	$(FUZZ) -max_total_time=$(FUZZ_TIME) $(BUILD)/fuzz-corpus module/core/fuzz/corpus

# Random call sequences across processes in the test VM (selftests/fuzz_calls.c;
# make check runs it for a fixed budget with the other selftests).
FUZZ_VM_TIME ?= 300
FUZZ_VM_ARGS ?=

fuzz-vm: module selftests tools
	scripts/vm --timeout $$(($(FUZZ_VM_TIME) + 240)) run -- \
		/opt/mach/selftests/fuzz_calls -t $(FUZZ_VM_TIME) $(FUZZ_VM_ARGS)

# make install, uninstall and the ABI baseline: install.mk.
include install.mk

deps:
	scripts/install-deps

check:
	scripts/install-deps
	$(MAKE) -j$(JOBS) all
	scripts/check

check-matrix:
	scripts/install-deps
	$(MAKE) -j$(JOBS) all
	CHECK_KERNELS=all scripts/check

check-debug:
	scripts/install-deps
	$(MAKE) -j$(JOBS) libmach tools selftests
	scripts/kernels build 6.1-debug
	scripts/vm --kernel 6.1-debug check

demo:
	scripts/install-deps
	$(MAKE) -j$(JOBS) all
	scripts/vm run -- mach-demo

bench:
	$(MAKE) -j$(JOBS) all
	scripts/bench

# The kernels of the matrix and their chroots (build/kernels, build/chroots:
# a few GB, minutes to fetch again) go only with clean-kernels. Not Kbuild's
# clean: it deletes every *.[aios] under the tree, the chroots' included.
clean:
	rm -f mach.ko mach.o mach.mod mach.mod.c mach.mod.o Module.symvers \
		modules.order .*.cmd module/*.o module/.*.cmd module/core/*.o \
		module/core/.*.cmd
	find $(BUILD) -mindepth 1 -maxdepth 1 ! -name kernels ! -name chroots \
		-exec rm -rf {} + 2>/dev/null || true
	rm -rf $(BUILD)/kernels/*/src $(BUILD)/kernels/*/mach.ko

clean-kernels:
	rm -rf $(BUILD)/kernels $(BUILD)/chroots
