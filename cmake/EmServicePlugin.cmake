# emservice_add_plugin(<name> SOURCES … [LIBRARIES …] [TARGET <target>] [OUTPUT_DIRECTORY <dir>])
#
# Builds an EM Service plugin: a MODULE library named <name>.so (no "lib"
# prefix), C++17, only the entry point visible, linked against the SDK target
# (EmService::sdk, or em_sdk inside the EM Service tree). The target is named
# <name> unless TARGET says otherwise. Shipped with the installed CMake
# package and used by the built-in plugins too.
function(emservice_add_plugin name)
  cmake_parse_arguments(P "" "TARGET;OUTPUT_DIRECTORY" "SOURCES;LIBRARIES" ${ARGN})
  if(NOT P_SOURCES)
    message(FATAL_ERROR "emservice_add_plugin(${name}): SOURCES is required")
  endif()
  set(target ${name})
  if(P_TARGET)
    set(target ${P_TARGET})
  endif()
  if(TARGET EmService::sdk)
    set(sdk EmService::sdk)
  else()
    set(sdk em_sdk)
  endif()
  add_library(${target} MODULE ${P_SOURCES})
  target_link_libraries(${target} PRIVATE ${sdk} ${P_LIBRARIES})
  target_compile_features(${target} PRIVATE cxx_std_17)
  set_target_properties(${target} PROPERTIES
    PREFIX ""
    OUTPUT_NAME ${name}
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON)
  if(P_OUTPUT_DIRECTORY)
    set_target_properties(${target} PROPERTIES LIBRARY_OUTPUT_DIRECTORY "${P_OUTPUT_DIRECTORY}")
  endif()
endfunction()
