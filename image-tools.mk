# image-tools.mk: the make interface of the original image tools, on chrootbuild.
#
# Include it from an image folder's Makefile:
#
#     NAME    = debian
#     VERSION = trixie
#     include ../../image-tools.mk
#
# then, as with the original tools:
#
#     make rootfs                 # build the image root in ./rootfs
#     make rootfs.tar             # a tarball of it
#     make rootfs.sqsh            # an uncompressed squashfs of it
#     make publish_on_s3.tar      # upload rootfs.tar as $(S3_URL)$(NAME)-$(VERSION).tar
#     make publish_on_s3.sqsh     # upload rootfs.sqsh as $(S3_URL)$(NAME)-$(VERSION).sqsh
#     make install_on_disk        # write the image on $(DISK) (default /dev/nbd1)
#     make release                # push $(DOCKER_NAMESPACE)/$(NAME):$(VERSION), :YYYY-MM-DD, aliases, :latest
#     make clean
#
# Every target calls the chrootbuild command; none needs Docker or a shell
# script. Variables (set them on the command line or in the environment):

CHROOTBUILD      ?= chrootbuild
# NAME and VERSION name what is published and released.
NAME             ?= $(notdir $(CURDIR))
VERSION          ?= latest
# IS_LATEST=1 also publishes NAME-latest.EXT and tags :latest.
IS_LATEST        ?=
# VERSION_ALIASES are more tags for release, e.g. "13 stable".
VERSION_ALIASES  ?=
# S3_URL is s3://BUCKET/PREFIX/; S3_ENDPOINT an S3-compatible server's URL.
# Credentials come from the AWS chain (AWS_* variables, ~/.aws, AWS_PROFILE).
S3_URL           ?=
S3_ENDPOINT      ?=
# S3_PUBLIC=1 (the original's --acl-public) makes uploads public-read.
S3_PUBLIC        ?= 1
# DOCKER_NAMESPACE is REGISTRY/NAMESPACE (or a Docker Hub user); credentials
# come from ~/.docker/config.json. DOCKER_INSECURE=1 allows plain http.
DOCKER_NAMESPACE ?=
DOCKER_INSECURE  ?=
DISK             ?= /dev/nbd1
# INSTALL_FLAGS, e.g. --yes to write the disk without asking.
INSTALL_FLAGS    ?=
# PUBLISH_FLAGS and RELEASE_FLAGS go to chrootbuild publish and release
# (e.g. --profile P, --layer-cache DIR).
PUBLISH_FLAGS    ?=
RELEASE_FLAGS    ?=
# DEFINITION is the image definition; BUILD_FLAGS go to chrootbuild build
# (e.g. --var suite=trixie --cache DIR).
DEFINITION       ?= image.hcl
BUILD_FLAGS      ?=

# The root folder comes from a one-output definition that starts `from` the
# image's own, so the image's outputs are left to the definition and make
# gets the folder the original tools made.
ROOTFS_HCL := .chrootbuild/rootfs.hcl
yes         = $(filter 1 y yes true,$(1))

# Refuse a publishing target without its destination before building.
ifneq ($(filter publish_on_s3.%,$(MAKECMDGOALS)),)
ifeq ($(S3_URL),)
$(error set S3_URL=s3://BUCKET/PREFIX/ to publish)
endif
endif
ifneq ($(filter release,$(MAKECMDGOALS)),)
ifeq ($(DOCKER_NAMESPACE),)
$(error set DOCKER_NAMESPACE=REGISTRY/NAMESPACE to release)
endif
endif

.PHONY: all publish_on_s3.tar publish_on_s3.sqsh install_on_disk release clean

all: rootfs.tar

rootfs: $(DEFINITION) $(wildcard *.hcl)
	@mkdir -p $(dir $(ROOTFS_HCL))
	@printf 'image "%s" {\n  from = "%s"\n  output "directory" { path = "rootfs" }\n}\n' \
		'$(NAME)' '$(abspath $(DEFINITION))' > $(ROOTFS_HCL)
	rm -rf rootfs
	$(CHROOTBUILD) build --out $(CURDIR) $(BUILD_FLAGS) $(ROOTFS_HCL)

rootfs.tar: rootfs
	$(CHROOTBUILD) pack --format tar rootfs rootfs.tar

rootfs.sqsh: rootfs
	$(CHROOTBUILD) pack --format squashfs rootfs rootfs.sqsh

publish_on_s3.tar publish_on_s3.sqsh: publish_on_s3.%: rootfs.%
	$(CHROOTBUILD) publish $(PUBLISH_FLAGS) $(if $(S3_ENDPOINT),--endpoint $(S3_ENDPOINT)) \
		--name $(NAME) --version $(VERSION) \
		$(if $(call yes,$(IS_LATEST)),--latest) $(if $(call yes,$(S3_PUBLIC)),--public) \
		rootfs.$* $(S3_URL)

install_on_disk: rootfs.tar
	$(CHROOTBUILD) install $(INSTALL_FLAGS) rootfs.tar $(DISK)

release: rootfs.tar
	$(CHROOTBUILD) release $(RELEASE_FLAGS) $(if $(call yes,$(DOCKER_INSECURE)),--insecure) \
		$(if $(call yes,$(IS_LATEST)),--latest) $(foreach t,$(VERSION_ALIASES),--tag $(t)) \
		--name $(NAME) rootfs.tar $(DOCKER_NAMESPACE)/$(NAME):$(VERSION)

clean:
	rm -rf rootfs rootfs.tar rootfs.tar.sha256 rootfs.sqsh rootfs.sqsh.sha256 .chrootbuild
	$(CHROOTBUILD) clean
