; Inno Setup script for GuardStation (Windows, per-machine install).
;
; Build on Windows, from the repository root:
;   py -3.11 -m venv .venv && .venv\Scripts\pip install -e ".[packaging]"
;   .venv\Scripts\python packaging\build.py          (makes dist\guardstation\ and self-tests it)
;   iscc packaging\windows\guardstation.iss           (Inno Setup 6.3 or later; makes
;                                                     dist\GuardStation-Setup-<version>.exe)
;
; The program goes to Program Files; each Windows user's data (database, logs, settings, keyring
; fallback) stays in %LOCALAPPDATA%\GuardStation and is NOT removed by the uninstaller: a visitor
; log is kept until its retention period ends, whatever happens to the program.

#define AppName "GuardStation"
#define AppVersion "0.1.0"
#define AppPublisher "GuardStation"
#define AppExe "guardstation.exe"
#define BundleDir "..\..\dist\guardstation"

[Setup]
AppId={{6F1B7C2E-3A52-4E0B-9B8C-2D4E5A6F7081}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher={#AppPublisher}
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
PrivilegesRequired=admin
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir=..\..\dist
OutputBaseFilename=GuardStation-Setup-{#AppVersion}
SetupIconFile=..\..\resources\icons\guardstation.ico
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
CloseApplications=yes

[Languages]
; Inno Setup ships no Indonesian.isl (it is one of the unofficial translations on its website): when it has
; been put into Inno Setup's Languages folder the installer speaks Indonesian too, otherwise English only.
#if FileExists(AddBackslash(CompilerPath) + "Languages\Indonesian.isl")
Name: "indonesian"; MessagesFile: "compiler:Languages\Indonesian.isl"
#endif
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"
Name: "kioskicon"; Description: "Kiosk: start GuardStation full screen when Windows starts (all users)"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
Source: "{#BundleDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"
Name: "{group}\{#AppName} (kiosk)"; Filename: "{app}\{#AppExe}"; Parameters: "--kiosk"; WorkingDir: "{app}"
Name: "{group}\{#AppName} self-test"; Filename: "{cmd}"; Parameters: "/k ""{app}\guardstation-cli.exe"" --self-test"; WorkingDir: "{app}"
Name: "{group}\{cm:UninstallProgram,{#AppName}}"; Filename: "{uninstallexe}"
Name: "{commondesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"; Tasks: desktopicon
Name: "{commonstartup}\{#AppName} (kiosk)"; Filename: "{app}\{#AppExe}"; Parameters: "--kiosk"; WorkingDir: "{app}"; Tasks: kioskicon

[Run]
; The self-test at install time uses a throw-away home in Setup's temporary folder: it must not create a
; database in the installing administrator's own profile.
Filename: "{app}\guardstation-cli.exe"; Parameters: "--self-test --home ""{tmp}\selftest-home"""; StatusMsg: "Self-test..."; Flags: runhidden waituntilterminated
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

; No [UninstallDelete] for user data on purpose: %LOCALAPPDATA%\GuardStation is left in place.
