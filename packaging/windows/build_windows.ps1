# Windows build: the PyInstaller folder, a smoke test of the frozen CLI, then the installer.
# Run in PowerShell from the repository root, with Python 3.11+ (64-bit) and Inno Setup 6:
#   powershell -ExecutionPolicy Bypass -File packaging\windows\build_windows.ps1
# Sign the executables and the installer afterwards (see docs/packaging.md).
$ErrorActionPreference = "Stop"
$root = Resolve-Path "$PSScriptRoot\..\.."
Set-Location $root
# Build in its own virtualenv (build\venv, reused), never in the Python that runs this script.
if (-not (Test-Path "build\venv\Scripts\python.exe")) { python -m venv build\venv }
$py = "build\venv\Scripts\python.exe"
& $py -m pip install -q --upgrade pip
& $py -m pip install -q ".[postgres]" "pyinstaller>=6.10,<7"
if ($LASTEXITCODE -ne 0) { throw "pip install failed" }
& $py -m pip install -q --no-deps --force-reinstall .
& $py -m PyInstaller --noconfirm --log-level WARN --distpath build\dist --workpath build\work packaging\wushe.spec
$dist = "build\dist\wushe-desktop"
$version = (& "$dist\wushe.exe" --version).Split(" ")[1]

# smoke test: a station with demo data, one PDF, and the GUI opening the demo database
$work = New-Item -ItemType Directory -Path (Join-Path $env:TEMP ("wushe-smoke-" + [guid]::NewGuid()))
$env:WUSHE_DATA_DIR = "$work\data"
$env:WUSHE_BACKUP_PASSPHRASE = "correct horse battery"
& "$dist\wushe.exe" --db "$work\station.sqlite3" init --station-code 150121101000 --station-name "毕克齐镇社工站"
if ($LASTEXITCODE -ne 0) { throw "init failed" }
& "$dist\wushe.exe" --db "$work\station.sqlite3" demo --cases 8
if ($LASTEXITCODE -ne 0) { throw "demo failed" }
& "$dist\wushe.exe" --db "$work\station.sqlite3" print monthly-report --month (Get-Date -Format "yyyy-MM") --out "$work\report.pdf"
if ($LASTEXITCODE -ne 0) { throw "print failed" }
# wushe-desktop.exe is a windowed program: its printed shown:/ready: lines may not reach a
# console, so its exit code decides (0 once the main window is up, 1 if start-up failed).
$env:QT_QPA_PLATFORM = "offscreen"
$gui = Start-Process -FilePath "$dist\wushe-desktop.exe" -ArgumentList "--demo", "--quit-when-ready" -Wait -PassThru `
    -RedirectStandardOutput "$work\gui.out" -RedirectStandardError "$work\gui.err"
if ($gui.ExitCode -ne 0) { Get-Content "$work\gui.err"; throw "the GUI did not open the demo database" }
Get-Content "$work\gui.out"
Remove-Item Env:QT_QPA_PLATFORM
Remove-Item -Recurse -Force $work

$iscc = "${env:ProgramFiles(x86)}\Inno Setup 6\ISCC.exe"
& $iscc "/DAppVersion=$version" "/DDistDir=$root\$dist" packaging\windows\wushe-desktop.iss
if ($LASTEXITCODE -ne 0) { throw "Inno Setup failed" }
Write-Host "build\wushe-desktop-$version-setup.exe"
