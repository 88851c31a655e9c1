@echo off
rem Vigil RetroEventHandler for Retrospect on Windows. Put this file and RetroEventHandler.ps1 (and
rem optionally retroeventhandler.conf) in C:\ProgramData\Retrospect (engine) or
rem C:\Program Files\Retrospect\Retrospect Client (client). It never intervenes: it always exits 0.
powershell.exe -NoProfile -NonInteractive -ExecutionPolicy Bypass -File "%~dp0RetroEventHandler.ps1" %*
exit /b 0
