include(GNUInstallDirs)
install(FILES ${PROJECT_SOURCE_DIR}/packaging/io.flightdeck.Flightdeck.desktop
        DESTINATION ${CMAKE_INSTALL_DATADIR}/applications)
install(FILES ${PROJECT_SOURCE_DIR}/packaging/io.flightdeck.Flightdeck.metainfo.xml
        DESTINATION ${CMAKE_INSTALL_DATADIR}/metainfo)
install(FILES ${PROJECT_SOURCE_DIR}/packaging/flightdeck-workspace.xml
        DESTINATION ${CMAKE_INSTALL_DATADIR}/mime/packages)
install(FILES ${PROJECT_SOURCE_DIR}/resources/flightdeck.svg
        DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/scalable/apps RENAME io.flightdeck.Flightdeck.svg)

set(CPACK_PACKAGE_NAME flightdeck)
set(CPACK_PACKAGE_VENDOR "Flightdeck")
set(CPACK_PACKAGE_CONTACT "Flightdeck developers <dev@flightdeck.invalid>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Native observability explorer for logs, traces and metrics")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_PACKAGE_SECTION devel)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
include(CPack)
