; Inno Setup script for Chinwag: installs the PyInstaller bundle per user (no admin
; rights needed), with Start menu entry, optional desktop icon, and an uninstaller that
; leaves the user's data (%LOCALAPPDATA%\chinwag: history, settings, plugins) alone.
; Built by packaging\windows\build.ps1: ISCC /DAppVersion=X /DSourceDir=DIR chinwag.iss

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#ifndef SourceDir
  #define SourceDir "..\..\build\windows\dist\chinwag"
#endif

[Setup]
AppId={{3D7E44FD-539B-5F12-A075-2DD3F64BDEE3}
AppName=Chinwag
AppVersion={#AppVersion}
AppPublisher=Chinwag developers
AppPublisherURL=https://github.com/chinwag/chinwag
DefaultDirName={localappdata}\Programs\Chinwag
DefaultGroupName=Chinwag
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputBaseFilename=Chinwag-Setup-{#AppVersion}
SetupIconFile={#SourceDir}\..\..\..\icons\chinwag.ico
UninstallDisplayIcon={app}\chinwag.exe
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
LicenseFile=..\..\LICENSE

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
Source: "{#SourceDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\Chinwag"; Filename: "{app}\chinwag.exe"
Name: "{autodesktop}\Chinwag"; Filename: "{app}\chinwag.exe"; Tasks: desktopicon

[Run]
Filename: "{app}\chinwag.exe"; Description: "{cm:LaunchProgram,Chinwag}"; Flags: nowait postinstall skipifsilent
