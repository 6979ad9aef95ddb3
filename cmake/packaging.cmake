# Debian packages (SPEC 14), built by CPack's DEB generator through
# scripts/package.sh, which configures a build with Debian's layout:
#   emservice      programs, built-in plugins, systemd unit, configuration
#                  (a conffile), man pages, documentation; maintainer scripts
#                  from packaging/debian
#   emservice-dev  the plugin SDK: headers, CMake package, plugin template
# Included from the top-level CMakeLists.txt before the subdirectories, so
# that every install() rule without a COMPONENT lands in the main package.

set(CMAKE_INSTALL_DEFAULT_COMPONENT_NAME runtime)

add_subdirectory(${PROJECT_SOURCE_DIR}/docs/man ${PROJECT_BINARY_DIR}/docs/man)

set(EM_PACKAGE_MAINTAINER "EM Service maintainers <maintainers@emservice.example>"
    CACHE STRING "The Maintainer field of the Debian packages")
set(em_debian "${PROJECT_SOURCE_DIR}/packaging/debian")

# Debian's changelog is the package's own; its newest entry must name this version.
file(STRINGS "${em_debian}/changelog" em_changelog_top LIMIT_COUNT 1)
if(NOT em_changelog_top MATCHES "^emservice \\(${PROJECT_VERSION}\\) ")
  message(WARNING "packaging/debian/changelog does not start with version ${PROJECT_VERSION}: "
                  "add an entry before building packages")
endif()

# Each package's /usr/share/doc/<package>: copyright and changelog.gz, as
# Debian policy (and lintian) want them; gzip -n for reproducible bytes.
find_program(EM_GZIP gzip)
set(em_changelog_gz "${PROJECT_BINARY_DIR}/packaging/changelog.gz")
add_custom_command(
  OUTPUT "${em_changelog_gz}"
  COMMAND ${CMAKE_COMMAND} -E make_directory "${PROJECT_BINARY_DIR}/packaging"
  COMMAND ${CMAKE_COMMAND} -E copy "${em_debian}/changelog" "${PROJECT_BINARY_DIR}/packaging/changelog"
  COMMAND "${EM_GZIP}" -9 -n -f "${PROJECT_BINARY_DIR}/packaging/changelog"
  DEPENDS "${em_debian}/changelog"
  COMMENT "Debian changelog.gz"
  VERBATIM)
add_custom_target(em_package_docs ALL DEPENDS "${em_changelog_gz}")
foreach(component_package IN ITEMS "runtime;emservice" "dev;emservice-dev")
  list(GET component_package 0 component)
  list(GET component_package 1 package)
  install(FILES "${em_debian}/copyright" "${em_changelog_gz}"
          DESTINATION "${CMAKE_INSTALL_DATAROOTDIR}/doc/${package}" COMPONENT ${component})
endforeach()
install(FILES "${PROJECT_SOURCE_DIR}/README.md" "${PROJECT_SOURCE_DIR}/docs/plugins.md"
              "${PROJECT_SOURCE_DIR}/docs/fleet.md"
        DESTINATION "${CMAKE_INSTALL_DATAROOTDIR}/doc/emservice" COMPONENT runtime)
install(DIRECTORY "${PROJECT_SOURCE_DIR}/docs/plugin-template"
        DESTINATION "${CMAKE_INSTALL_DATAROOTDIR}/doc/emservice-dev/examples" COMPONENT dev)
# Where the administrator puts the trust anchor and CRLs the default
# configuration names (emsd does not start without them).
install(DIRECTORY DESTINATION "${CMAKE_INSTALL_SYSCONFDIR}/emservice/trust" COMPONENT runtime)

# Packages need Debian's layout (/usr, /etc, /var, private libraries in
# /usr/lib/emservice): the unit and the configuration are generated with
# these paths. scripts/package.sh sets it; any other build refuses to pack.
if(CMAKE_INSTALL_PREFIX STREQUAL "/usr" AND CMAKE_INSTALL_LIBDIR STREQUAL "lib"
   AND CMAKE_INSTALL_FULL_SYSCONFDIR STREQUAL "/etc"
   AND CMAKE_INSTALL_FULL_LOCALSTATEDIR STREQUAL "/var")
  set(EM_PACKAGE_LAYOUT_OK TRUE)
else()
  set(EM_PACKAGE_LAYOUT_OK FALSE)
endif()

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME emservice)
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGE_CONTACT "${EM_PACKAGE_MAINTAINER}")
set(CPACK_PACKAGING_INSTALL_PREFIX "${CMAKE_INSTALL_PREFIX}")
set(CPACK_STRIP_FILES TRUE)
set(CPACK_PROJECT_CONFIG_FILE "${PROJECT_SOURCE_DIR}/cmake/packaging_check.cmake")
set(CPACK_EM_PACKAGE_LAYOUT_OK ${EM_PACKAGE_LAYOUT_OK})

set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_ALL runtime dev)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)  # <name>_<version>_<arch>.deb
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
# Depends: the Debian library packages the ELF files link to, found by dpkg-shlibdeps.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION TRUE)

set(CPACK_DEBIAN_RUNTIME_PACKAGE_NAME emservice)
set(CPACK_DEBIAN_RUNTIME_PACKAGE_SECTION admin)
set(CPACK_DEBIAN_RUNTIME_PACKAGE_DEPENDS "adduser")
set(CPACK_DEBIAN_RUNTIME_PACKAGE_CONTROL_EXTRA
    "${em_debian}/postinst;${em_debian}/prerm;${em_debian}/postrm;${em_debian}/conffiles")
set(CPACK_COMPONENT_RUNTIME_DESCRIPTION
    "Emergency Mitigation service for Linux servers
emsd checks a publisher's feed, downloads a signed XML document of
mitigations (the EOCS format of Exchange's Emergency Mitigation service),
verifies who signed it, decides which mitigations apply to this server and
applies them through plugins: IIS URL Rewrite rules, application pools and
services. emctl shows and changes the organisation's and the servers'
settings, lists mitigations, verifies documents offline and rolls actions
back; emfeed signs and serves documents for a publisher.")

set(CPACK_DEBIAN_DEV_PACKAGE_NAME emservice-dev)
set(CPACK_DEBIAN_DEV_PACKAGE_SECTION devel)
set(CPACK_DEBIAN_DEV_PACKAGE_RECOMMENDS "emservice (= ${PROJECT_VERSION}), cmake, g++")
set(CPACK_COMPONENT_DEV_DESCRIPTION
    "Emergency Mitigation service - plugin SDK
The headers and the CMake package (find_package(EmService)) to build
plugins for the EM Service out of tree, and a complete plugin template
with its test. The SDK uses the C++17 standard library only.")

include(CPack)
