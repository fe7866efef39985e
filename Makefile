# campaignwatch: build, test, demo, benchmark and install.
SWIFT    ?= swift
PREFIX   ?= /usr/local
DESTDIR  ?=
SUDO     := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

# Debian packages the build and the tests need; `make deps` installs only the missing ones.
APT_PACKAGES := pkg-config libcurl4-openssl-dev libxml2-dev libsqlite3-dev zlib1g-dev openssl

.PHONY: deps build test demo bench install uninstall clean

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

clean:
	rm -rf .build demo-spool demo-state
