# embed_text_file(<target-source-var> <input> <symbol>)
# Generates a .cpp that defines `extern const std::string_view <symbol>` holding
# the file's bytes, so data files (the schema, the catalog) ship inside the binary.
function(embed_text_file out_var input symbol)
  set(output "${CMAKE_CURRENT_BINARY_DIR}/${symbol}.cpp")
  add_custom_command(
    OUTPUT "${output}"
    COMMAND ${CMAKE_COMMAND} -DINPUT=${input} -DOUTPUT=${output} -DSYMBOL=${symbol}
            -P "${PROJECT_SOURCE_DIR}/cmake/embed_run.cmake"
    DEPENDS "${input}" "${PROJECT_SOURCE_DIR}/cmake/embed_run.cmake"
    COMMENT "Embedding ${input}")
  set(${out_var} "${output}" PARENT_SCOPE)
endfunction()
