# Desktop integration (included from resources/CMakeLists.txt): the application icon, drawn by hand
# in icons/*.svg and rendered to PNGs at build time, compiled into the binary through the Qt resource
# system (target exitlens_resources), and installed with the .desktop entry, the AppStream metainfo
# and the MIME type of session files. Packaging itself lives in installer/.

# The freedesktop/AppStream id. It names the installed .desktop, metainfo, MIME and icon files, and
# the GUI tells the window system about it (QGuiApplication::setDesktopFileName) so the window is
# matched with its launcher on Wayland.
set(EXITLENS_APP_ID "io.github.exitlens.ExitLens")
set(EXITLENS_SESSION_MIME_TYPE "application/x-exitlens-session")

find_program(RSVG_CONVERT_EXECUTABLE rsvg-convert)
if(NOT RSVG_CONVERT_EXECUTABLE)
    message(FATAL_ERROR "rsvg-convert (Debian package librsvg2-bin) renders the icon: run scripts/setup.sh")
endif()

set(EXITLENS_ICON_SIZES 16 24 32 48 64 128 256)
set(icon_dir ${CMAKE_CURRENT_BINARY_DIR}/icons)
set(icon_pngs "")
foreach(size ${EXITLENS_ICON_SIZES})
    # Below 32 px the door frame of the full drawing turns to mush: small sizes have their own drawing.
    if(size LESS 32)
        set(svg ${CMAKE_CURRENT_SOURCE_DIR}/icons/exitlens-small.svg)
    else()
        set(svg ${CMAKE_CURRENT_SOURCE_DIR}/icons/exitlens.svg)
    endif()
    set(png ${icon_dir}/exitlens-${size}.png)
    add_custom_command(
        OUTPUT ${png}
        COMMAND ${CMAKE_COMMAND} -E make_directory ${icon_dir}
        COMMAND ${RSVG_CONVERT_EXECUTABLE} --width ${size} --height ${size} --format png --output ${png} ${svg}
        DEPENDS ${svg}
        COMMENT "Rendering the ${size} px icon"
        VERBATIM)
    list(APPEND icon_pngs ${png})
    install(FILES ${png} DESTINATION share/icons/hicolor/${size}x${size}/apps RENAME ${EXITLENS_APP_ID}.png)
endforeach()
install(FILES icons/exitlens.svg DESTINATION share/icons/hicolor/scalable/apps RENAME ${EXITLENS_APP_ID}.svg)

# exitlens_resources: the icon compiled in (":/icons/exitlens-<size>.png") and AppIdentity.h to use it.
# PNGs, not the SVG: Qt renders SVG icons only with the Qt SVG plugin, which ExitLens does not need.
add_library(exitlens_resources STATIC AppIdentity.cpp)
target_include_directories(exitlens_resources PUBLIC ${CMAKE_CURRENT_SOURCE_DIR})
target_link_libraries(exitlens_resources PUBLIC Qt6::Gui)
target_compile_definitions(exitlens_resources PRIVATE EXITLENS_APP_ID="${EXITLENS_APP_ID}")
qt_add_resources(exitlens_resources exitlens_icons PREFIX /icons BASE ${icon_dir} FILES ${icon_pngs})

set(desktop_dir ${CMAKE_CURRENT_BINARY_DIR}/desktop)
configure_file(desktop/exitlens.desktop.in ${desktop_dir}/${EXITLENS_APP_ID}.desktop @ONLY)
configure_file(desktop/exitlens.metainfo.xml.in ${desktop_dir}/${EXITLENS_APP_ID}.metainfo.xml @ONLY)
configure_file(desktop/exitlens-mime.xml.in ${desktop_dir}/${EXITLENS_APP_ID}.xml @ONLY)
install(FILES ${desktop_dir}/${EXITLENS_APP_ID}.desktop DESTINATION share/applications)
install(FILES ${desktop_dir}/${EXITLENS_APP_ID}.metainfo.xml DESTINATION share/metainfo)
install(FILES ${desktop_dir}/${EXITLENS_APP_ID}.xml DESTINATION share/mime/packages)
