# SPDX-License-Identifier: GPL-2.0
#
# make install / make uninstall (included by the Makefile):
#
#   $(BINDIR)        machctl, linked against the system's libnl
#   $(LIBDIR)        libmach.so.1.0, its soname link libmach.so.1, the
#                    development link libmach.so, libmach.a
#   $(PKGCONFIGDIR)  mach.pc (pkg-config --cflags --libs mach)
#   $(INCLUDEDIR)    mach/*.h, the Mach C API, in a directory of its own:
#                    GNU Mach's headers (Debian's gnumach-dev) have the same
#                    names in the compiler's own path, which mach.pc's -I
#                    must come before
#   $(MANDIR)        man3 (the calls), man4 (/dev/mach), man7 (the model),
#                    man8 (machctl),
#                    each further name of a page as a ".so" page
#   $(SRCDIR)        mach-$(MACH_VERSION)/: mach.ko's sources and dkms.conf,
#                    for `dkms add`
#
# Each directory can be set on the command line, and DESTDIR is prepended
# to all of them (packages install into a staging tree). Nothing here
# builds or loads the module.
#
#   make install PREFIX=/usr LIBDIR=/usr/lib/x86_64-linux-gnu DESTDIR=/tmp/root
#
# The version is also in dkms.conf and debian/changelog; scripts/check-install
# checks that they agree.

MACH_VERSION := 0.1
LIBMACH_SONAME := libmach.so.1
LIBMACH_REALNAME := $(LIBMACH_SONAME).0

PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
LIBDIR ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include/libmach
MANDIR ?= $(PREFIX)/share/man
PKGCONFIGDIR ?= $(LIBDIR)/pkgconfig
SRCDIR ?= $(PREFIX)/src
DESTDIR ?=
INSTALL ?= install

MAN_PAGES := $(sort $(wildcard man/*.[1-8]))
# Relative to libmach/include.
MACH_HEADERS = $(sort $(patsubst libmach/include/%,%,$(shell find libmach/include/mach \
	libmach/include/mach_debug -name '*.h')))
# What Kbuild needs to build mach.ko, and no test of it.
DKMS_SOURCES = dkms.conf Kbuild $(sort $(wildcard module/*.c module/*.h module/*.mk \
	module/arch/*/*.c module/core/*.cc module/core/*.h uapi/mach/*.h))
DKMS_DIR = $(SRCDIR)/mach-$(MACH_VERSION)

.PHONY: install install-bin install-lib install-headers install-man install-dkms \
	machctl-installed uninstall \
	abi-baseline check-abi

install: install-bin install-lib install-headers install-man install-dkms

# machctl as installed: linked against the system's libnl (the test VM's
# copy, in $(BUILD)/bin, is static), with the packager's flags.
NL_LIBS := $(shell pkg-config --libs libnl-genl-3.0 2>/dev/null || echo -lnl-genl-3 -lnl-3)
MACHCTL_INSTALLED := $(BUILD)/installed/machctl

machctl-installed: $(MACHCTL_INSTALLED)

$(MACHCTL_INSTALLED): libmach/tools/machctl.cc uapi/mach/netlink.h
	@mkdir -p $(dir $@)
	$(CXX) -std=c++20 $(CPPFLAGS) -O2 $(CXXFLAGS) $(WARN) $(INCLUDES) $(NL_CFLAGS) \
		$(LDFLAGS) -o $@ $< $(NL_LIBS)

install-bin: $(MACHCTL_INSTALLED)
	$(INSTALL) -D -m 0755 $(MACHCTL_INSTALLED) $(DESTDIR)$(BINDIR)/machctl

install-lib: libmach
	$(INSTALL) -d $(DESTDIR)$(LIBDIR) $(DESTDIR)$(PKGCONFIGDIR)
	$(INSTALL) -m 0644 $(BUILD)/lib/libmach.so $(DESTDIR)$(LIBDIR)/$(LIBMACH_REALNAME)
	ln -sf $(LIBMACH_REALNAME) $(DESTDIR)$(LIBDIR)/$(LIBMACH_SONAME)
	ln -sf $(LIBMACH_SONAME) $(DESTDIR)$(LIBDIR)/libmach.so
	$(INSTALL) -m 0644 $(BUILD)/lib/libmach.a $(DESTDIR)$(LIBDIR)/libmach.a
	sed -e 's|@PREFIX@|$(PREFIX)|g' -e 's|@LIBDIR@|$(LIBDIR)|g' \
		-e 's|@INCLUDEDIR@|$(INCLUDEDIR)|g' -e 's|@VERSION@|$(MACH_VERSION)|g' \
		libmach/mach.pc.in > $(DESTDIR)$(PKGCONFIGDIR)/mach.pc
	chmod 0644 $(DESTDIR)$(PKGCONFIGDIR)/mach.pc

install-headers:
	for h in $(MACH_HEADERS); do \
		$(INSTALL) -D -m 0644 libmach/include/$$h $(DESTDIR)$(INCLUDEDIR)/$$h || exit; \
	done

# A page's other names (its NAME line) become one-line ".so" pages.
install-man:
	for p in $(MAN_PAGES); do \
		s=$${p##*.}; \
		$(INSTALL) -D -m 0644 $$p $(DESTDIR)$(MANDIR)/man$$s/$${p##*/} || exit; \
	done
	scripts/man-links $(MAN_PAGES) | while read -r s name page; do \
		printf '.so man%s/%s\n' $$s $$page > $(DESTDIR)$(MANDIR)/man$$s/$$name || exit; \
	done

install-dkms:
	@test -f dkms.conf || { echo "install: dkms.conf is missing"; exit 1; }
	for f in $(DKMS_SOURCES); do \
		$(INSTALL) -D -m 0644 $$f $(DESTDIR)$(DKMS_DIR)/$$f || exit; \
	done

# Removes what install put there, and the directories it leaves empty.
uninstall:
	rm -f $(DESTDIR)$(BINDIR)/machctl
	rm -f $(DESTDIR)$(LIBDIR)/$(LIBMACH_REALNAME) $(DESTDIR)$(LIBDIR)/$(LIBMACH_SONAME) \
		$(DESTDIR)$(LIBDIR)/libmach.so $(DESTDIR)$(LIBDIR)/libmach.a \
		$(DESTDIR)$(PKGCONFIGDIR)/mach.pc
	for h in $(MACH_HEADERS); do rm -f $(DESTDIR)$(INCLUDEDIR)/$$h; done
	for p in $(MAN_PAGES); do rm -f $(DESTDIR)$(MANDIR)/man$${p##*.}/$${p##*/}; done
	scripts/man-links $(MAN_PAGES) | while read -r s name page; do \
		rm -f $(DESTDIR)$(MANDIR)/man$$s/$$name; \
	done
	rm -rf $(DESTDIR)$(DKMS_DIR)
	-find $(DESTDIR)$(INCLUDEDIR)/mach $(DESTDIR)$(INCLUDEDIR)/mach_debug -depth -type d \
		-empty -delete 2>/dev/null
	-rmdir $(DESTDIR)$(INCLUDEDIR) 2>/dev/null

# The committed ABI of libmach.so.1 (see libmach/libmach.map).
abi-baseline: libmach
	scripts/check-abi --update

check-abi: libmach
	scripts/check-abi
