; Inno Setup script (Inno Setup 6): installs the PyInstaller folder built by build_windows.ps1.
;
;   iscc /DAppVersion=0.1.0 /DDistDir=..\..\build\dist\wushe-desktop packaging\windows\wushe-desktop.iss
;
; The data folder (C:\ProgramData\Wushe\WusheDesktop, or the per-user folder where that
; cannot be written) is never touched by the installer or the uninstaller: installing a
; newer version over an older one keeps every record, and the program itself backs the
; database up and migrates it the first time the new version opens it.

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#ifndef DistDir
  #define DistDir "..\..\build\dist\wushe-desktop"
#endif

[Setup]
; One fixed AppId: every version upgrades the same installation in place.
AppId={{6C1B1F0E-7A4E-4C1B-9B6F-5D3E2A8C4F10}
AppName=五社联动社工站
AppVersion={#AppVersion}
AppVerName=五社联动社工站 {#AppVersion}
AppPublisher=Wushe Desktop
DefaultDirName={autopf}\WusheDesktop
DefaultGroupName=五社联动社工站
DisableProgramGroupPage=yes
OutputDir=..\..\build
OutputBaseFilename=wushe-desktop-{#AppVersion}-setup
SetupIconFile=..\..\resources\icons\wushe-desktop.ico
UninstallDisplayIcon={app}\wushe-desktop.exe
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
ArchitecturesAllowed=x64compatible arm64
ArchitecturesInstallIn64BitMode=x64compatible arm64
PrivilegesRequired=admin
; an open window would keep files locked: ask to close it first
CloseApplications=yes
RestartApplications=no

[Languages]
Name: "chinesesimplified"; MessagesFile: "ChineseSimplified.isl"
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"

[Dirs]
; The PC-wide data folder (DESIGN.md §1: one database per PC, shared by the staff's Windows
; accounts): every user of this PC may write there, whoever installed or first started the app.
Name: "{commonappdata}\Wushe\WusheDesktop"; Permissions: users-modify; Flags: uninsneveruninstall

[Files]
Source: "{#DistDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\五社联动社工站"; Filename: "{app}\wushe-desktop.exe"
Name: "{group}\卸载五社联动社工站"; Filename: "{uninstallexe}"
Name: "{autodesktop}\五社联动社工站"; Filename: "{app}\wushe-desktop.exe"; Tasks: desktopicon

[Run]
Filename: "{app}\wushe-desktop.exe"; Description: "{cm:LaunchProgram,五社联动社工站}"; Flags: nowait postinstall skipifsilent

; No [UninstallDelete] section on purpose (and the data folder is uninsneveruninstall): the
; uninstaller removes only the program files it installed, never the data, backups or keys.
