# Run by cpack before it packs (CPACK_PROJECT_CONFIG_FILE): the unit and the
# configuration were generated with this build's install paths, so a build
# without Debian's layout would give a package that points to /usr/local.
if(NOT CPACK_EM_PACKAGE_LAYOUT_OK)
  message(FATAL_ERROR "this build does not have Debian's layout (/usr, /etc, /var, lib); "
                      "build packages with scripts/package.sh")
endif()
