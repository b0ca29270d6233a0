# Compiling in groups (a unity build): the files of one group are compiled
# as one translation unit, so the headers and templates they share are
# parsed and optimised once instead of once per file. Files of one group
# share their file-local names (anonymous namespaces, statics), which must
# therefore differ. -DCVM_GROUPS=OFF compiles every file alone; a file in no
# group always does.
option(CVM_GROUPS "Compile the libraries and unit tests in groups of files (a unity build)" ON)

# cvm_group(<target> <group> <file>...): the files, relative to the current
# source directory, form the translation unit <group> of <target>.
function(cvm_group target group)
  if(NOT CVM_GROUPS)
    return()
  endif()
  list(TRANSFORM ARGN PREPEND "${CMAKE_CURRENT_SOURCE_DIR}/")
  set_source_files_properties(${ARGN} PROPERTIES UNITY_GROUP ${group})
  set_target_properties(${target} PROPERTIES UNITY_BUILD ON UNITY_BUILD_MODE GROUP)
endfunction()
