# campaignwatch: build, test, demo, benchmark and install.
SWIFT    ?= swift
PREFIX   ?= /usr/local
DESTDIR  ?=
BINDIR      ?= $(PREFIX)/bin
DOCDIR      ?= $(PREFIX)/share/doc/campaignwatch
# systemd reads units, sysusers.d and tmpfiles.d from /usr/local/lib/… as well as /usr/lib/….
UNITDIR     ?= $(PREFIX)/lib/systemd/system
SYSUSERSDIR ?= $(PREFIX)/lib/sysusers.d
TMPFILESDIR ?= $(PREFIX)/lib/tmpfiles.d
CONFDIR     ?= /etc/campaignwatch
# The binary `install-files` copies; `install` builds it first.
INSTALL_BINARY ?= .build/release/campaignwatch
SUDO     := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

# Debian packages the build and the tests need (systemd: systemd-analyze checks the unit; openssl:
# a local timestamp authority; python3 and unzip: evidence bundles checked the way their README says);
# `make deps` installs only the missing ones.
APT_PACKAGES := pkg-config libcurl4-openssl-dev libxml2-dev libsqlite3-dev zlib1g-dev openssl systemd python3 unzip

.PHONY: deps build test demo bench install install-files uninstall clean

deps:
	@missing=""; for p in $(APT_PACKAGES); do \
		dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'install ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; \
		$(SUDO) apt-get update -q && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $$missing; \
	fi

build: deps
	$(SWIFT) build

test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

demo: build
	$(SWIFT) run --skip-build campaignwatch demo

bench: deps
	$(SWIFT) build -c release --product campaignwatch-bench
	$(SWIFT) build -c release --product campaignwatch
	.build/release/campaignwatch-bench all

# Installs the release binary, the systemd unit, sysusers.d and tmpfiles.d files, the README, and
# the example configuration into $(CONFDIR) unless a configuration is already there (an existing
# one is never overwritten). With DESTDIR empty, creates the user and the spool right away.
install:
	$(SWIFT) build -c release --product campaignwatch
	$(MAKE) --no-print-directory install-files

install-files:
	install -D -m 0755 $(INSTALL_BINARY) $(DESTDIR)$(BINDIR)/campaignwatch
	install -d -m 0755 $(DESTDIR)$(UNITDIR) $(DESTDIR)$(SYSUSERSDIR) $(DESTDIR)$(TMPFILESDIR) $(DESTDIR)$(DOCDIR)
	sed -e 's|/usr/local/bin/campaignwatch|$(BINDIR)/campaignwatch|' \
		-e 's|/usr/local/share/doc/campaignwatch|$(DOCDIR)|' \
		-e 's|/etc/campaignwatch/|$(CONFDIR)/|' \
		systemd/campaignwatch.service > $(DESTDIR)$(UNITDIR)/campaignwatch.service
	chmod 0644 $(DESTDIR)$(UNITDIR)/campaignwatch.service
	install -m 0644 systemd/campaignwatch.sysusers $(DESTDIR)$(SYSUSERSDIR)/campaignwatch.conf
	install -m 0644 systemd/campaignwatch.tmpfiles $(DESTDIR)$(TMPFILESDIR)/campaignwatch.conf
	install -m 0644 README.md $(DESTDIR)$(DOCDIR)/README.md
	@if [ -e $(DESTDIR)$(CONFDIR)/campaignwatch.yaml ]; then \
		echo "kept the existing configuration in $(DESTDIR)$(CONFDIR)"; \
	else \
		install -d -m 0755 $(DESTDIR)$(CONFDIR); \
		for d in elections.d rules.d watchlists.d; do \
			install -d -m 0755 $(DESTDIR)$(CONFDIR)/$$d; \
			for f in config/$$d/*; do [ -e $(DESTDIR)$(CONFDIR)/$$d/$${f##*/} ] || install -m 0644 $$f $(DESTDIR)$(CONFDIR)/$$d/; done; \
		done; \
		sed -e 's|^state_dir: .*|state_dir: /var/lib/campaignwatch|' \
			-e 's|^  dir: ../demo-spool .*|  dir: /var/spool/campaignwatch   # maildir: alerts appear in new/|' \
			config/campaignwatch.yaml > $(DESTDIR)$(CONFDIR)/campaignwatch.yaml; \
		chmod 0644 $(DESTDIR)$(CONFDIR)/campaignwatch.yaml; \
		echo "installed the example configuration in $(DESTDIR)$(CONFDIR): edit it, then run campaignwatch check"; \
	fi
	@if [ -z "$(DESTDIR)" ] && [ -d /run/systemd/system ]; then \
		systemd-sysusers $(SYSUSERSDIR)/campaignwatch.conf && \
		systemd-tmpfiles --create $(TMPFILESDIR)/campaignwatch.conf && \
		systemctl daemon-reload && \
		echo "next: campaignwatch check --config $(CONFDIR)/campaignwatch.yaml && systemctl enable --now campaignwatch"; \
	fi

# Removes what `install` put in place, except the configuration, the state and the spool
# (alerts and evidence are records: delete them by hand if you mean to).
uninstall:
	@if [ -z "$(DESTDIR)" ] && [ -d /run/systemd/system ]; then systemctl disable --now campaignwatch.service 2>/dev/null || true; fi
	rm -f $(DESTDIR)$(BINDIR)/campaignwatch $(DESTDIR)$(UNITDIR)/campaignwatch.service \
		$(DESTDIR)$(SYSUSERSDIR)/campaignwatch.conf $(DESTDIR)$(TMPFILESDIR)/campaignwatch.conf $(DESTDIR)$(DOCDIR)/README.md
	-rmdir $(DESTDIR)$(DOCDIR) 2>/dev/null
	@if [ -z "$(DESTDIR)" ] && [ -d /run/systemd/system ]; then systemctl daemon-reload; fi
	@echo "kept $(CONFDIR), /var/lib/campaignwatch and /var/spool/campaignwatch (remove them by hand if you mean to)"

clean:
	rm -rf .build demo-spool demo-state
