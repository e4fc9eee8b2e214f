@echo off
rem gatehouse: the Gatehouse command line, run by the installed app (Gatehouse.exe --cli).
rem Installed at %LOCALAPPDATA%\Programs\Gatehouse\resources\bin; add that folder to your PATH.
setlocal
set ELECTRON_RUN_AS_NODE=
"%~dp0..\..\Gatehouse.exe" --cli %*
exit /b %ERRORLEVEL%
