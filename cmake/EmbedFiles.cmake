# Writes OUTPUT: a C++ initializer list of {relative path, contents} pairs for
# FILES (relative to ROOT), so a tool can carry sources it compiles at run time.
# Usage: cmake -DROOT=... -DOUTPUT=... -DFILES="a|b" -P EmbedFiles.cmake
string(REPLACE "|" ";" FILES "${FILES}")
set(content "")
foreach(file IN LISTS FILES)
  file(READ "${ROOT}/${file}" text)
  string(APPEND content "{\"${file}\", R\"bitnet_embed(${text})bitnet_embed\"},\n")
endforeach()
file(WRITE "${OUTPUT}.tmp" "${content}")
file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
