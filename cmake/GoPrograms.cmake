# Builds a single-file Go program (no modules, nothing downloaded) into the build tree.
#   exitlens_add_go_program(TARGET <name> SOURCE <file.go> OUTPUT <path> [LDFLAGS <flags>] [GOARCH <arch>] [CGO]
#                           [FLAGS <go build flags>...])
# The Go build cache lives in the build folder so a clean clone builds the same way as root or as a user.
set(EXITLENS_GOCACHE "${CMAKE_BINARY_DIR}/gocache" CACHE PATH "Go build cache for test and demo programs")

function(exitlens_add_go_program)
    cmake_parse_arguments(ARG "CGO" "TARGET;SOURCE;OUTPUT;LDFLAGS;GOARCH" "FLAGS" ${ARGN})
    if(NOT ARG_GOARCH)
        set(ARG_GOARCH amd64)
    endif()
    if(ARG_CGO)
        set(cgo 1)
    else()
        set(cgo 0)
    endif()
    set(ldflags "")
    if(ARG_LDFLAGS)
        set(ldflags "-ldflags=${ARG_LDFLAGS}")
    endif()
    get_filename_component(src "${ARG_SOURCE}" ABSOLUTE)
    add_custom_command(
        OUTPUT "${ARG_OUTPUT}"
        COMMAND ${CMAKE_COMMAND} -E env GOCACHE=${EXITLENS_GOCACHE} GOPATH=${CMAKE_BINARY_DIR}/gopath
                GO111MODULE=off CGO_ENABLED=${cgo} GOARCH=${ARG_GOARCH} GOTOOLCHAIN=local
                ${GO_EXECUTABLE} build -o "${ARG_OUTPUT}" ${ldflags} ${ARG_FLAGS} "${src}"
        DEPENDS "${src}"
        COMMENT "Building Go program ${ARG_TARGET}"
        VERBATIM)
    add_custom_target(${ARG_TARGET} ALL DEPENDS "${ARG_OUTPUT}")
endfunction()
