# Builds Chinwag for Windows: the PyInstaller bundle (packaging\chinwag.spec) with the
# built-in model, then an Inno Setup installer. Run from anywhere, with Python 3.11 and
# Inno Setup 6 (preinstalled on GitHub's windows-2022 runners):
#   pwsh packaging\windows\build.ps1
# Output: build\windows\dist\chinwag\ and build\windows\Chinwag-Setup-VERSION.exe
$ErrorActionPreference = "Stop"
Set-Location (Join-Path $PSScriptRoot "..\..")

function Run { param([string]$Exe, [string[]]$Arguments)
  & $Exe @Arguments
  if ($LASTEXITCODE -ne 0) { throw "$Exe $Arguments failed ($LASTEXITCODE)" }
}

if (-not (Test-Path .venv\Scripts\python.exe)) { Run python @("-m", "venv", ".venv") }
$py = ".venv\Scripts\python.exe"
# The same hash-checked pins as Linux, plus the few packages only Windows installs.
Run $py @("-m", "pip", "install", "--quiet", "--require-hashes", "--no-deps",
  "-r", "requirements-dev.lock", "-r", "packaging\windows\requirements-windows.lock")
Run $py @("-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation", "-e", ".")
$model = (& $py scripts\fetch_model.py .cache\models) -replace "^model: ", ""
$version = (& $py -c "import chinwag; print(chinwag.__version__)")

New-Item -ItemType Directory -Force build\icons | Out-Null
Run $py @("packaging\render_icons.py", "ico", "build\icons\chinwag.ico")
$env:LITELLM_LOCAL_MODEL_COST_MAP = "True"
$env:CHINWAG_BUNDLE_MODEL = (Resolve-Path $model).Path
Run $py @("-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
  "--distpath", "build\windows\dist", "--workpath", "build\windows\work", "packaging\chinwag.spec")

$iscc = "${env:ProgramFiles(x86)}\Inno Setup 6\ISCC.exe"
Run $iscc @("/Qp", "/DAppVersion=$version", "/DSourceDir=$PWD\build\windows\dist\chinwag",
  "/O$PWD\build\windows", "packaging\windows\chinwag.iss")

# Signing, only when the release secrets are there (a base64 .pfx and its password).
if ($env:WINDOWS_CERTIFICATE) {
  $pfx = Join-Path $env:RUNNER_TEMP "chinwag.pfx"
  [IO.File]::WriteAllBytes($pfx, [Convert]::FromBase64String($env:WINDOWS_CERTIFICATE))
  $signtool = Get-ChildItem "${env:ProgramFiles(x86)}\Windows Kits\10\bin\*\x64\signtool.exe" |
    Sort-Object FullName | Select-Object -Last 1
  Run $signtool.FullName @("sign", "/f", $pfx, "/p", $env:WINDOWS_CERTIFICATE_PASSWORD,
    "/fd", "sha256", "/tr", "http://timestamp.digicert.com", "/td", "sha256",
    "build\windows\Chinwag-Setup-$version.exe")
  Remove-Item $pfx
}
Get-ChildItem build\windows\*.exe | ForEach-Object { "build: $($_.Name) $([math]::Round($_.Length / 1MB)) MB" }
