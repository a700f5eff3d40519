<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="id_ID" sourcelanguage="en">
  <context>
    <name>CameraPage</name>
    <message>
      <location filename="../../guardstation/ui/setup_wizard.py" line="311" />
      <source>Folder of images to use as the camera</source>
      <translation>Folder gambar yang dipakai sebagai kamera</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/setup_wizard.py" line="329" />
      <source>Choose a folder or a video file</source>
      <translation>Pilih folder atau berkas video</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/setup_wizard.py" line="339" />
      <source>Starting camera…</source>
      <translation>Menyalakan kamera…</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/setup_wizard.py" line="356" />
      <source>Camera works: %1. Hold a QR code up to test a scan.</source>
      <translation>Kamera berfungsi: %1. Tunjukkan kode QR ke kamera untuk uji pindai.</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/setup_wizard.py" line="359" />
      <source>Camera not available: %1</source>
      <translation>Kamera tidak tersedia: %1</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/setup_wizard.py" line="361" />
      <source>No picture from this camera</source>
      <translation>Tidak ada gambar dari kamera ini</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/setup_wizard.py" line="371" />
      <source>Test scan: code read (%1) → %2 %3 — nothing was recorded.</source>
      <translation>Uji pindai: kode terbaca (%1) → %2 %3 — tidak ada yang dicatat.</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/setup_wizard.py" line="376" />
      <location filename="../../guardstation/ui/setup_wizard.py" line="379" />
      <source>Camera</source>
      <translation>Kamera</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/setup_wizard.py" line="377" />
      <source>Choose the camera that looks at the visitors' codes. A code held up to it is read and checked here as a test; nothing is recorded.</source>
      <translation>Pilih kamera yang membaca kode pengunjung. Kode yang ditunjukkan ke kamera dibaca dan diperiksa di sini sebagai uji; tidak ada yang dicatat.</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/setup_wizard.py" line="380" />
      <source>Folder or file</source>
      <translation>Folder atau berkas</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/setup_wizard.py" line="381" />
      <source>Browse…</source>
      <translation>Telusuri…</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/setup_wizard.py" line="382" />
      <source>a folder of images or a video file</source>
      <translation>folder gambar atau berkas video</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/setup_wizard.py" line="384" />
      <source>Webcam %1</source>
      <translation>Webcam %1</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/setup_wizard.py" line="386" />
      <source>(not detected)</source>
      <translation>(tidak terdeteksi)</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/setup_wizard.py" line="388" />
      <source>Folder or video file…</source>
      <translation>Folder atau berkas video…</translation>
    </message>
  </context>
  <context>
    <name>CameraView</name>
    <message>
      <location filename="../../guardstation/ui/camera_view.py" line="39" />
      <source>Starting camera…</source>
      <translation>Menyalakan kamera…</translation>
    </message>
  </context>
  <context>
    <name>CapacityGauge</name>
    <message>
      <location filename="../../guardstation/ui/capacity_gauge.py" line="49" />
      <source>This gate %1 · other gates %2 (as of %3 min ago)</source>
      <translation>Gerbang ini %1 · gerbang lain %2 (per %3 mnt lalu)</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/capacity_gauge.py" line="14" />
      <source>Inside / capacity</source>
      <translation>Di dalam / kapasitas</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/capacity_gauge.py" line="37" />
      <source>No capacity limit set</source>
      <translation>Tidak ada batas kapasitas</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/capacity_gauge.py" line="42" />
      <source>FULL: wait until someone leaves</source>
      <translation>PENUH: tunggu sampai ada yang keluar</translation>
    </message>
  </context>
  <context>
    <name>ConnectionPage</name>
    <message>
      <location filename="../../guardstation/ui/setup_wizard.py" line="153" />
      <source>Connection</source>
      <translation>Koneksi</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/setup_wizard.py" line="154" />
      <source>Does this station report to the central office, or work on its own?</source>
      <translation>Apakah pos ini melapor ke kantor pusat, atau bekerja sendiri?</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/setup_wizard.py" line="155" />
      <source>Standalone: this station works on its own</source>
      <translation>Mandiri: pos ini bekerja sendiri</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/setup_wizard.py" line="156" />
      <source>Rules and capacity are set here; the visitor log stays on this computer.</source>
      <translation>Aturan dan kapasitas diatur di sini; buku tamu tetap di komputer ini.</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/setup_wizard.py" line="158" />
      <source>Enrol with the central server (Diskominfo)</source>
      <translation>Daftarkan ke server pusat (Diskominfo)</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/setup_wizard.py" line="159" />
      <source>Server address</source>
      <translation>Alamat server</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/setup_wizard.py" line="160" />
      <source>Enrolment code</source>
      <translation>Kode pendaftaran</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/setup_wizard.py" line="161" />
      <source>one-time code from the central office</source>
      <translation>kode sekali pakai dari kantor pusat</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/setup_wizard.py" line="162" />
      <source>The station enrols as soon as the server answers (the code is kept in the keyring until then); meanwhile it works on its own and keeps every visit for the server. The top bar shows when it is online.</source>
      <translation>Pos mendaftar begitu server menjawab (sampai saat itu kode disimpan di keyring); sementara itu pos bekerja mandiri dan menyimpan setiap kunjungan untuk server. Bilah atas menunjukkan kapan pos daring.</translation>
    </message>
  </context>
  <context>
    <name>CrashReporter</name>
    <message>
      <location filename="../../guardstation/ui/crash.py" line="95" />
      <source>Something unexpected went wrong. GuardStation keeps running, and every scan shown so far is saved.

Please tell the technician. Log folder: %1</source>
      <translation>Terjadi kesalahan tak terduga. GuardStation tetap berjalan, dan semua pindaian yang sudah tampil tersimpan.

Mohon beri tahu teknisi. Folder log: %1</translation>
    </message>
    <message numerus="yes">
      <location filename="../../guardstation/ui/crash.py" line="99" />
      <source>(%n errors)</source>
      <translation>
        <numerusform>(%n kesalahan)</numerusform>
      </translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/crash.py" line="103" />
      <source>Unexpected error</source>
      <translation>Kesalahan tak terduga</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/crash.py" line="105" />
      <source>Close</source>
      <translation>Tutup</translation>
    </message>
  </context>
  <context>
    <name>ExportDialog</name>
    <message>
      <location filename="../../guardstation/ui/export_dialog.py" />
      <source>Export</source>
      <translation>Ekspor</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/export_dialog.py" />
      <source>Visit log (shift or period)</source>
      <translation>Buku tamu (shift atau periode)</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/export_dialog.py" />
      <source>Monitoring report (for inspectors)</source>
      <translation>Laporan pemantauan (untuk petugas pemeriksa)</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/export_dialog.py" />
      <source>Evacuation list (inside now)</source>
      <translation>Daftar evakuasi (yang ada di dalam sekarang)</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/export_dialog.py" />
      <source>Exposure window of one visitor</source>
      <translation>Jendela paparan satu pengunjung</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/export_dialog.py" />
      <source>NIK (16 digits) or subject key</source>
      <translation>NIK (16 angka) atau kunci subjek</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/export_dialog.py" />
      <source>Excel workbook (XLSX)</source>
      <translation>Buku kerja Excel (XLSX)</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/export_dialog.py" />
      <source>PDF report</source>
      <translation>Laporan PDF</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/export_dialog.py" />
      <source>CSV (comma-separated text)</source>
      <translation>CSV (teks dipisah koma)</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/export_dialog.py" />
      <source>File to write</source>
      <translation>Berkas yang ditulis</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/export_dialog.py" />
      <source>Choose…</source>
      <translation>Pilih…</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/export_dialog.py" />
      <source>Include the NIK column (always masked, e.g. 3513********0001)</source>
      <translation>Sertakan kolom NIK (selalu disamarkan, mis. 3513********0001)</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/export_dialog.py" />
      <source>Cancel export</source>
      <translation>Batalkan ekspor</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/export_dialog.py" />
      <source>Close</source>
      <translation>Tutup</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/export_dialog.py" />
      <source>Report</source>
      <translation>Laporan</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/export_dialog.py" />
      <source>Visitor</source>
      <translation>Pengunjung</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/export_dialog.py" />
      <source>to</source>
      <translation>s.d.</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/export_dialog.py" />
      <source>Period</source>
      <translation>Periode</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/export_dialog.py" />
      <source>Format</source>
      <translation>Format</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/export_dialog.py" />
      <source>Save as</source>
      <translation>Simpan sebagai</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/export_dialog.py" />
      <source>Save the export as</source>
      <translation>Simpan ekspor sebagai</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/export_dialog.py" />
      <source>Choose the file to write.</source>
      <translation>Pilih berkas yang akan ditulis.</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/export_dialog.py" />
      <source>The period ends before it starts.</source>
      <translation>Periode berakhir sebelum dimulai.</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/export_dialog.py" />
      <source>Enter the visitor's NIK (16 digits) or subject key (32 hexadecimal characters).</source>
      <translation>Masukkan NIK pengunjung (16 angka) atau kunci subjek (32 karakter heksadesimal).</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/export_dialog.py" />
      <source>Exporting…</source>
      <translation>Mengekspor…</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/export_dialog.py" />
      <source>Cancelling…</source>
      <translation>Membatalkan…</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/export_dialog.py" />
      <source>Saved: %1
SHA-256: %2</source>
      <translation>Tersimpan: %1
SHA-256: %2</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/export_dialog.py" />
      <source>Saved: %1
SHA-256: %2
The audit log could not record it: %3</source>
      <translation>Tersimpan: %1
SHA-256: %2
Log audit tidak dapat mencatatnya: %3</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/export_dialog.py" />
      <source>Export cancelled. No file was written.</source>
      <translation>Ekspor dibatalkan. Tidak ada berkas yang ditulis.</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/export_dialog.py" />
      <source>The export failed unexpectedly (see the log): %1</source>
      <translation>Ekspor gagal tanpa diduga (lihat log): %1</translation>
    </message>
  </context>
  <context>
    <name>FreshnessLabel</name>
    <message>
      <location filename="../../guardstation/ui/freshness_label.py" line="32" />
      <source>keys</source>
      <translation>kunci</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/freshness_label.py" line="32" />
      <source>rules</source>
      <translation>aturan</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/freshness_label.py" line="33" />
      <source>status list</source>
      <translation>daftar status</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/freshness_label.py" line="53" />
      <source>Data age: unknown</source>
      <translation>Umur data: tidak diketahui</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/freshness_label.py" line="60" />
      <source>Data age:</source>
      <translation>Umur data:</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/freshness_label.py" line="62" />
      <source>stale data: entries are DENIED</source>
      <translation>data usang: masuk DITOLAK</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/freshness_label.py" line="63" />
      <source>stale data: admitting with a warning</source>
      <translation>data usang: masuk dengan peringatan</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/freshness_label.py" line="66" />
      <source>Age of the trusted keys, rule pack and status list</source>
      <translation>Umur kunci tepercaya, paket aturan dan daftar status</translation>
    </message>
  </context>
  <context>
    <name>InsideNowModel</name>
    <message>
      <location filename="../../guardstation/ui/table_models.py" line="134" />
      <source>Since</source>
      <translation>Sejak</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/table_models.py" line="134" />
      <source>Name</source>
      <translation>Nama</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/table_models.py" line="134" />
      <source>NIK</source>
      <translation>NIK</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/table_models.py" line="134" />
      <source>Purpose</source>
      <translation>Keperluan</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/table_models.py" line="134" />
      <source>Host</source>
      <translation>Tujuan</translation>
    </message>
  </context>
  <context>
    <name>KioskGuard</name>
    <message>
      <location filename="../../guardstation/ui/kiosk.py" line="60" />
      <source>Enter the supervisor PIN to close GuardStation.</source>
      <translation>Masukkan PIN supervisor untuk menutup GuardStation.</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/kiosk.py" line="63" />
      <source>Enter the supervisor PIN to leave kiosk mode.</source>
      <translation>Masukkan PIN supervisor untuk keluar dari mode kios.</translation>
    </message>
  </context>
  <context>
    <name>LanguagePage</name>
    <message>
      <location filename="../../guardstation/ui/setup_wizard.py" line="86" />
      <source>Language</source>
      <translation>Bahasa</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/setup_wizard.py" line="87" />
      <source>The language of the guard's screen. You can change it later in this setup.</source>
      <translation>Bahasa layar petugas. Dapat diubah nanti lewat pengaturan ini.</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/setup_wizard.py" line="88" />
      <source>Welcome to GuardStation. This setup takes about five minutes: the office and gate, the camera, and the supervisor PIN.</source>
      <translation>Selamat datang di GuardStation. Pengaturan ini sekitar lima menit: kantor dan pintu, kamera, dan PIN supervisor.</translation>
    </message>
  </context>
  <context>
    <name>Log</name>
    <message>
      <location filename="../../guardstation/ui/table_models.py" line="31" />
      <source>(unknown)</source>
      <translation>(tidak diketahui)</translation>
    </message>
  </context>
  <context>
    <name>MainWindow</name>
    <message>
      <location filename="../../guardstation/ui/main_window.py" line="43" />
      <location filename="../../guardstation/ui/main_window.py" line="152" />
      <source>GuardStation — %1 · %2</source>
      <translation>GuardStation — %1 · %2</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/main_window.py" line="52" />
      <source>Check out selected</source>
      <translation>Catat keluar yang dipilih</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/main_window.py" line="58" />
      <source>Search name in the log…</source>
      <translation>Cari nama di log…</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/main_window.py" line="62" />
      <source>Auto (in/out)</source>
      <translation>Otomatis (masuk/keluar)</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/main_window.py" line="62" />
      <source>In only</source>
      <translation>Masuk saja</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/main_window.py" line="63" />
      <source>Out only</source>
      <translation>Keluar saja</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/main_window.py" line="67" />
      <source>Camera: starting</source>
      <translation>Kamera: menyala…</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/main_window.py" line="92" />
      <source>Keys stored in a file (no OS keyring)</source>
      <translation>Kunci disimpan di berkas (tanpa keyring OS)</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/main_window.py" line="98" />
      <source>Gate mode:</source>
      <translation>Mode gerbang:</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/main_window.py" line="109" />
      <source>&lt;b&gt;Inside now&lt;/b&gt; (evacuation list)</source>
      <translation>&lt;b&gt;Di dalam sekarang&lt;/b&gt; (daftar evakuasi)</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/main_window.py" line="125" />
      <source>&lt;b&gt;Recent scans&lt;/b&gt;</source>
      <translation>&lt;b&gt;Pindaian terakhir&lt;/b&gt;</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/main_window.py" line="171" />
      <source>employee</source>
      <translation>pegawai</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/main_window.py" line="173" />
      <source>visitor</source>
      <translation>tamu</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/main_window.py" line="196" />
      <source>Disk full: scans are NOT being recorded. Free disk space, then scan again.</source>
      <translation>Disk penuh: pindaian TIDAK tercatat. Kosongkan ruang disk, lalu pindai ulang.</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/main_window.py" line="197" />
      <source>Storage is read-only: scans are NOT being recorded.</source>
      <translation>Penyimpanan hanya-baca: pindaian TIDAK tercatat.</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/main_window.py" line="198" />
      <source>Database busy: scan not recorded, please scan again.</source>
      <translation>Basis data sibuk: pindaian tidak tercatat, silakan pindai ulang.</translation>
    </message>
    <message>
      <source>Disk error: scans are NOT being recorded. Check the disk, then scan again.</source>
      <translation>Kesalahan disk: pindaian TIDAK tercatat. Periksa disk, lalu pindai ulang.</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/main_window.py" line="209" />
      <source>Something went wrong. The data recorded so far is safe.
Log folder: %1</source>
      <translation>Terjadi kesalahan. Data yang sudah tercatat aman.
Folder log: %1</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/main_window.py" line="210" />
      <source>Unexpected error</source>
      <translation>Kesalahan tak terduga</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/main_window.py" line="218" />
      <source>Camera: on</source>
      <translation>Kamera: aktif</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/main_window.py" line="221" />
      <source>Camera disconnected — manual entry still works</source>
      <translation>Kamera terputus — entri manual tetap bisa</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/main_window.py" />
      <source>Print evacuation list</source>
      <translation>Cetak daftar evakuasi</translation>
    </message>
  </context>
  <context>
    <name>ManualEntryPanel</name>
    <message>
      <location filename="../../guardstation/ui/manual_entry.py" line="23" />
      <source>Manual entry (no phone)</source>
      <translation>Entri manual (tanpa ponsel)</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/manual_entry.py" line="25" />
      <source>16-digit NIK from the ID card</source>
      <translation>NIK 16 digit dari KTP</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/manual_entry.py" line="28" />
      <source>Full name as on the ID card</source>
      <translation>Nama lengkap sesuai KTP</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/manual_entry.py" line="29" />
      <source>e.g. meeting, KTP service</source>
      <translation>mis. rapat, layanan KTP</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/manual_entry.py" line="30" />
      <source>person or office visited</source>
      <translation>orang atau bagian yang dituju</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/manual_entry.py" line="31" />
      <source>Record entry</source>
      <translation>Catat masuk</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/manual_entry.py" line="34" />
      <source>NIK</source>
      <translation>NIK</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/manual_entry.py" line="36" />
      <source>Name</source>
      <translation>Nama</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/manual_entry.py" line="37" />
      <source>Purpose</source>
      <translation>Keperluan</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/manual_entry.py" line="38" />
      <source>Host</source>
      <translation>Tujuan</translation>
    </message>
    <message numerus="yes">
      <location filename="../../guardstation/ui/manual_entry.py" line="51" />
      <source>%n more digit(s)</source>
      <translation>
        <numerusform>kurang %n digit</numerusform>
      </translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/manual_entry.py" line="58" />
      <source>female</source>
      <translation>perempuan</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/manual_entry.py" line="58" />
      <source>male</source>
      <translation>laki-laki</translation>
    </message>
  </context>
  <context>
    <name>NoticeBar</name>
    <message>
      <location filename="../../guardstation/ui/hardware_notices.py" line="29" />
      <source>No camera chosen: codes cannot be scanned. Manual entry still works.</source>
      <translation>Belum ada kamera dipilih: kode tidak dapat dipindai. Entri manual tetap bisa.</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/hardware_notices.py" line="30" />
      <source>Camera %1 not found. Check its cable, or choose another camera in the setup. Manual entry still works.</source>
      <translation>Kamera %1 tidak ditemukan. Periksa kabelnya, atau pilih kamera lain di pengaturan. Entri manual tetap bisa.</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/hardware_notices.py" line="32" />
      <source>Camera source not found: %1</source>
      <translation>Sumber kamera tidak ditemukan: %1</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/hardware_notices.py" line="40" />
      <source>The settings file was damaged: the last good settings are in use. Ask the supervisor to check the settings. The damaged file was kept as %1</source>
      <translation>Berkas pengaturan rusak: pengaturan baik terakhir yang dipakai. Minta supervisor memeriksa pengaturan. Berkas yang rusak disimpan sebagai %1</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/hardware_notices.py" line="43" />
      <source>Some settings were not valid and were reset (%1): the last good value or the default is in use. Ask the supervisor to check the settings. The file as it was is kept as %2</source>
      <translation>Beberapa pengaturan tidak sah dan diatur ulang (%1): nilai baik terakhir atau nilai bawaan yang dipakai. Minta supervisor memeriksa pengaturan. Berkas aslinya disimpan sebagai %2</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/hardware_notices.py" line="43" />
      <source>The settings file was damaged and no good copy was found: default settings are in use. Ask the supervisor to check the settings. The damaged file was kept as %1</source>
      <translation>Berkas pengaturan rusak dan tidak ada salinan yang baik: pengaturan bawaan yang dipakai. Minta supervisor memeriksa pengaturan. Berkas yang rusak disimpan sebagai %1</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/hardware_notices.py" line="33" />
      <source>Low disk space: %1 MB free. Free some space soon: below 100 MB no new scans can be taken.</source>
      <translation>Ruang disk hampir habis: sisa %1 MB. Segera kosongkan ruang: di bawah 100 MB pindaian baru tidak dapat dicatat.</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/hardware_notices.py" line="35" />
      <source>Disk almost full: %1 MB free. New scans are refused until space is freed.</source>
      <translation>Disk hampir penuh: sisa %1 MB. Pindaian baru ditolak sampai ruang dikosongkan.</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/hardware_notices.py" line="37" />
      <source>The computer's clock shows %1, which cannot be right. Set the date and time before scanning.</source>
      <translation>Jam komputer menunjukkan %1, dan itu tidak mungkin benar. Atur tanggal dan jam sebelum memindai.</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/hardware_notices.py" line="39" />
      <source>The computer's clock (%1) is behind the last recorded scan (%2). Check the date and time: visit times would be wrong.</source>
      <translation>Jam komputer (%1) lebih awal dari pindaian terakhir yang tercatat (%2). Periksa tanggal dan jam: waktu kunjungan akan salah.</translation>
    </message>
  </context>
  <context>
    <name>PinDialog</name>
    <message>
      <location filename="../../guardstation/ui/pin_dialog.py" line="36" />
      <source>Supervisor PIN</source>
      <translation>PIN supervisor</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/pin_dialog.py" line="39" />
      <source>PIN</source>
      <translation>PIN</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/pin_dialog.py" line="44" />
      <source>Unlock</source>
      <translation>Buka</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/pin_dialog.py" line="45" />
      <source>Cancel</source>
      <translation>Batal</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/pin_dialog.py" line="72" />
      <source>Too many wrong PINs. Locked for %1 more.</source>
      <translation>Terlalu banyak PIN salah. Terkunci %1 lagi.</translation>
    </message>
    <message numerus="yes">
      <location filename="../../guardstation/ui/pin_dialog.py" line="77" />
      <source>Wrong PIN. %n more attempt(s) before a %1-minute lock.</source>
      <translation>
        <numerusform>PIN salah. Sisa %n percobaan sebelum terkunci %1 menit.</numerusform>
      </translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/pin_dialog.py" line="80" />
      <source>No supervisor PIN has been set: run the setup first.</source>
      <translation>PIN supervisor belum diatur: jalankan pengaturan dulu.</translation>
    </message>
  </context>
  <context>
    <name>PinPage</name>
    <message>
      <location filename="../../guardstation/ui/setup_wizard.py" line="441" />
      <source>Supervisor PIN</source>
      <translation>PIN supervisor</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/setup_wizard.py" line="442" />
      <source>The supervisor PIN protects the settings, and closing the station in kiosk mode.</source>
      <translation>PIN supervisor melindungi pengaturan, dan penutupan aplikasi dalam mode kios.</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/setup_wizard.py" line="444" />
      <source>%1 to %2 digits. Not 0000 or 1234. Five wrong PINs lock it for five minutes.</source>
      <translation>%1 sampai %2 angka. Jangan 0000 atau 1234. Lima kali salah mengunci selama lima menit.</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/setup_wizard.py" line="446" />
      <source>New PIN</source>
      <translation>PIN baru</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/setup_wizard.py" line="447" />
      <source>PIN again</source>
      <translation>Ulangi PIN</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/setup_wizard.py" line="448" />
      <source>Leave both empty to keep the current PIN.</source>
      <translation>Kosongkan keduanya untuk tetap memakai PIN sekarang.</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/setup_wizard.py" line="449" />
      <source>Kiosk mode: full screen, closing needs the PIN</source>
      <translation>Mode kios: layar penuh, menutup perlu PIN</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/setup_wizard.py" line="450" />
      <source>Recommended for a PC used only as the guard station.</source>
      <translation>Disarankan untuk PC yang hanya dipakai sebagai pos jaga.</translation>
    </message>
  </context>
  <context>
    <name>ReportsMenu</name>
    <message>
      <location filename="../../guardstation/ui/reports_menu.py" />
      <source>&amp;Reports</source>
      <translation>&amp;Laporan</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/reports_menu.py" />
      <source>Print the evacuation list</source>
      <translation>Cetak daftar evakuasi</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/reports_menu.py" />
      <source>Export…</source>
      <translation>Ekspor…</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/reports_menu.py" />
      <source>Enter the supervisor PIN to export visit data.</source>
      <translation>Masukkan PIN supervisor untuk mengekspor data kunjungan.</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/reports_menu.py" />
      <source>Data retention…</source>
      <translation>Masa simpan data…</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/reports_menu.py" />
      <source>Enter the supervisor PIN to change how long data is kept.</source>
      <translation>Masukkan PIN supervisor untuk mengubah lama data disimpan.</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/reports_menu.py" />
      <source>Evacuation list saved and opened for printing:
%1</source>
      <translation>Daftar evakuasi tersimpan dan dibuka untuk dicetak:
%1</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/reports_menu.py" />
      <source>Evacuation list saved; open it from this folder to print it:
%1</source>
      <translation>Daftar evakuasi tersimpan; buka dari folder ini untuk mencetaknya:
%1</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/reports_menu.py" />
      <source>The evacuation list could not be written (see the log): %1</source>
      <translation>Daftar evakuasi tidak dapat ditulis (lihat log): %1</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/reports_menu.py" />
      <source>Evacuation list</source>
      <translation>Daftar evakuasi</translation>
    </message>
  </context>
  <context>
    <name>RetentionDialog</name>
    <message>
      <location filename="../../guardstation/ui/retention_dialog.py" />
      <source>Data retention</source>
      <translation>Masa simpan data</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/retention_dialog.py" />
      <source>Personal data is kept only as long as needed (UU 27/2022). After these many days names, masked NIK, purpose and host are removed; the counts per day, verdict and reason stay. Every purge is recorded in the audit log.</source>
      <translation>Data pribadi disimpan hanya selama diperlukan (UU 27/2022). Setelah sekian hari ini, nama, NIK tersamar, keperluan dan tujuan dihapus; jumlah per hari, keputusan dan alasan tetap ada. Setiap penghapusan dicatat dalam log audit.</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/retention_dialog.py" />
      <source>Visits (names, NIK, purpose, host)</source>
      <translation>Kunjungan (nama, NIK, keperluan, tujuan)</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/retention_dialog.py" />
      <source>Refused scans</source>
      <translation>Pindaian yang ditolak</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/retention_dialog.py" />
      <source>Files in the exports folder</source>
      <translation>Berkas di folder ekspor</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/retention_dialog.py" />
      <source>Visits are kept at least %1 days: exposure tracing looks that far back. People still inside are never purged.</source>
      <translation>Kunjungan disimpan sedikitnya %1 hari: pelacakan paparan melihat sejauh itu ke belakang. Orang yang masih di dalam tidak pernah dihapus.</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/retention_dialog.py" />
      <source>Save</source>
      <translation>Simpan</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/retention_dialog.py" />
      <source>Purge now</source>
      <translation>Hapus sekarang</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/retention_dialog.py" />
      <source>Close</source>
      <translation>Tutup</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/retention_dialog.py" />
      <source>The settings could not be saved: %1</source>
      <translation>Pengaturan tidak dapat disimpan: %1</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/retention_dialog.py" />
      <source>Saved. The next purge uses these days.</source>
      <translation>Tersimpan. Penghapusan berikutnya memakai jumlah hari ini.</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/retention_dialog.py" />
      <source>Saved, but the audit log could not record it: %1</source>
      <translation>Tersimpan, tetapi log audit tidak dapat mencatatnya: %1</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/retention_dialog.py" />
      <source>Purging…</source>
      <translation>Menghapus…</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/retention_dialog.py" />
      <source>Purge done: %1 visits and %2 refused scans anonymised, %3 export files removed.</source>
      <translation>Penghapusan selesai: %1 kunjungan dan %2 pindaian ditolak dianonimkan, %3 berkas ekspor dihapus.</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/retention_dialog.py" />
      <source>The purge failed; see the log.</source>
      <translation>Penghapusan gagal; lihat log.</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/retention_dialog.py" />
      <source> days</source>
      <translation> hari</translation>
    </message>
  </context>
  <context>
    <name>ScanLogModel</name>
    <message>
      <location filename="../../guardstation/ui/table_models.py" line="67" />
      <source>Time</source>
      <translation>Waktu</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/table_models.py" line="67" />
      <source>Verdict</source>
      <translation>Hasil</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/table_models.py" line="67" />
      <source>Name</source>
      <translation>Nama</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/table_models.py" line="67" />
      <source>NIK</source>
      <translation>NIK</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/table_models.py" line="67" />
      <source>Reason</source>
      <translation>Alasan</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/table_models.py" line="68" />
      <source>Purpose</source>
      <translation>Keperluan</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/table_models.py" line="68" />
      <source>Gate</source>
      <translation>Gerbang</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/table_models.py" line="68" />
      <source>Out</source>
      <translation>Keluar</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/table_models.py" line="120" />
      <source>(auto)</source>
      <translation>(otomatis)</translation>
    </message>
  </context>
  <context>
    <name>SetupWizard</name>
    <message>
      <location filename="../../guardstation/ui/setup_wizard.py" line="535" />
      <source>GuardStation setup</source>
      <translation>Pengaturan GuardStation</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/setup_wizard.py" line="535" />
      <source>GuardStation setup (again)</source>
      <translation>Pengaturan GuardStation (ulang)</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/setup_wizard.py" line="536" />
      <source>&lt; Back</source>
      <translation>&lt; Kembali</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/setup_wizard.py" line="537" />
      <source>Next &gt;</source>
      <translation>Lanjut &gt;</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/setup_wizard.py" line="538" />
      <source>Finish</source>
      <translation>Selesai</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/setup_wizard.py" line="539" />
      <source>Cancel</source>
      <translation>Batal</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/setup_wizard.py" line="544" />
      <source>Enter the office name.</source>
      <translation>Isi nama kantor.</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/setup_wizard.py" line="545" />
      <source>Enter the gate name.</source>
      <translation>Isi nama pintu.</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/setup_wizard.py" line="546" />
      <source>Names can be at most 100 characters.</source>
      <translation>Nama paling banyak 100 karakter.</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/setup_wizard.py" line="547" />
      <source>Capacity must be between 1 and 100000, or no limit.</source>
      <translation>Kapasitas harus antara 1 dan 100000, atau tanpa batas.</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/setup_wizard.py" line="548" />
      <source>The server address must look like https://sync.example.go.id</source>
      <translation>Alamat server harus seperti https://sync.example.go.id</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/setup_wizard.py" line="549" />
      <source>The server address must start with https:// (the data is personal and must be encrypted).</source>
      <translation>Alamat server harus diawali https:// (datanya data pribadi dan wajib dienkripsi).</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/setup_wizard.py" line="551" />
      <source>The enrolment code has 6 to 64 letters, digits or hyphens.</source>
      <translation>Kode pendaftaran terdiri dari 6 sampai 64 huruf, angka atau tanda hubung.</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/setup_wizard.py" line="552" />
      <source>Choose a camera, or a folder or video file.</source>
      <translation>Pilih kamera, atau folder atau berkas video.</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/setup_wizard.py" line="557" />
      <source>Enter a PIN.</source>
      <translation>Isi PIN.</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/setup_wizard.py" line="558" />
      <source>The PIN may contain digits only.</source>
      <translation>PIN hanya boleh berisi angka.</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/setup_wizard.py" line="559" />
      <source>The PIN needs at least %1 digits.</source>
      <translation>PIN minimal %1 angka.</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/setup_wizard.py" line="560" />
      <source>The PIN can have at most %1 digits.</source>
      <translation>PIN paling banyak %1 angka.</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/setup_wizard.py" line="561" />
      <source>This PIN is too easy to guess (all the same digit, or a run).</source>
      <translation>PIN ini terlalu mudah ditebak (angka sama semua, atau berurutan).</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/setup_wizard.py" line="562" />
      <source>The two PINs are not the same.</source>
      <translation>Kedua PIN tidak sama.</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/setup_wizard.py" line="570" />
      <source>Setup not saved</source>
      <translation>Pengaturan tidak tersimpan</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/setup_wizard.py" line="571" />
      <source>The setup could not be saved: %1</source>
      <translation>Pengaturan tidak dapat disimpan: %1</translation>
    </message>
  </context>
  <context>
    <name>SitePage</name>
    <message>
      <location filename="../../guardstation/ui/setup_wizard.py" line="223" />
      <source>Office and gate</source>
      <translation>Kantor dan pintu</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/setup_wizard.py" line="224" />
      <source>Shown at the top of the guard's screen and written with every visit.</source>
      <translation>Tampil di atas layar petugas dan dicatat pada setiap kunjungan.</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/setup_wizard.py" line="225" />
      <source>Office (site) name</source>
      <translation>Nama kantor (lokasi)</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/setup_wizard.py" line="226" />
      <source>Gate name</source>
      <translation>Nama pintu</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/setup_wizard.py" line="227" />
      <source>Capacity (people inside at once)</source>
      <translation>Kapasitas (orang di dalam sekaligus)</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/setup_wizard.py" line="228" />
      <source>no limit</source>
      <translation>tanpa batas</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/setup_wizard.py" line="229" />
      <source>e.g. Kantor Bupati Probolinggo</source>
      <translation>mis. Kantor Bupati Probolinggo</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/setup_wizard.py" line="230" />
      <source>e.g. Pintu Depan</source>
      <translation>mis. Pintu Depan</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/setup_wizard.py" line="231" />
      <source>The capacity will come from the central server once the station is enrolled; until then there is no limit.</source>
      <translation>Kapasitas akan dikirim server pusat setelah pos terdaftar; sampai saat itu tanpa batas.</translation>
    </message>
  </context>
  <context>
    <name>StationMenu</name>
    <message>
      <location filename="../../guardstation/ui/station_menu.py" line="32" />
      <source>&amp;Settings</source>
      <translation>&amp;Pengaturan</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/station_menu.py" line="33" />
      <source>Run setup again…</source>
      <translation>Jalankan pengaturan lagi…</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/station_menu.py" line="36" />
      <source>Kiosk mode (full screen, PIN to close)</source>
      <translation>Mode kios (layar penuh, tutup dengan PIN)</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/station_menu.py" line="38" />
      <source>Leave kiosk mode…</source>
      <translation>Keluar dari mode kios…</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/station_menu.py" line="41" />
      <source>Open the log folder</source>
      <translation>Buka folder log</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/station_menu.py" line="59" />
      <source>Enter the supervisor PIN to change the setup.</source>
      <translation>Masukkan PIN supervisor untuk mengubah pengaturan.</translation>
    </message>
  </context>
  <context>
    <name>SummaryPage</name>
    <message>
      <location filename="../../guardstation/ui/setup_wizard.py" line="471" />
      <source>Language</source>
      <translation>Bahasa</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/setup_wizard.py" line="472" />
      <source>Office</source>
      <translation>Kantor</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/setup_wizard.py" line="472" />
      <source>Gate</source>
      <translation>Pintu</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/setup_wizard.py" line="474" />
      <location filename="../../guardstation/ui/setup_wizard.py" line="477" />
      <source>Connection</source>
      <translation>Koneksi</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/setup_wizard.py" line="474" />
      <source>standalone</source>
      <translation>mandiri</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/setup_wizard.py" line="475" />
      <source>Capacity</source>
      <translation>Kapasitas</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/setup_wizard.py" line="475" />
      <source>no limit</source>
      <translation>tanpa batas</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/setup_wizard.py" line="477" />
      <source>enrolment pending with %1</source>
      <translation>pendaftaran menunggu di %1</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/setup_wizard.py" line="479" />
      <source>Camera</source>
      <translation>Kamera</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/setup_wizard.py" line="479" />
      <source>Webcam %1</source>
      <translation>Webcam %1</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/setup_wizard.py" line="480" />
      <source>Supervisor PIN</source>
      <translation>PIN supervisor</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/setup_wizard.py" line="480" />
      <source>keep the current PIN</source>
      <translation>tetap memakai PIN sekarang</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/setup_wizard.py" line="481" />
      <source>new PIN set</source>
      <translation>PIN baru diatur</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/setup_wizard.py" line="482" />
      <source>Kiosk mode</source>
      <translation>Mode kios</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/setup_wizard.py" line="482" />
      <source>on</source>
      <translation>aktif</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/setup_wizard.py" line="482" />
      <source>off</source>
      <translation>mati</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/setup_wizard.py" line="488" />
      <source>Ready</source>
      <translation>Siap</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/setup_wizard.py" line="489" />
      <source>Check the choices, then press Finish. The setup can be run again from the Settings menu with the supervisor PIN.</source>
      <translation>Periksa pilihan, lalu tekan Selesai. Pengaturan dapat dijalankan lagi dari menu Pengaturan dengan PIN supervisor.</translation>
    </message>
  </context>
  <context>
    <name>Verdict</name>
    <message>
      <location filename="../../guardstation/ui/theme.py" line="25" />
      <source>OUT</source>
      <translation>KELUAR</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/theme.py" line="27" />
      <source>GREEN</source>
      <translation>HIJAU</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/theme.py" line="27" />
      <source>YELLOW</source>
      <translation>KUNING</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/theme.py" line="28" />
      <source>RED</source>
      <translation>MERAH</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/theme.py" line="28" />
      <source>BLACK</source>
      <translation>HITAM</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/theme.py" line="29" />
      <source>FULL</source>
      <translation>PENUH</translation>
    </message>
  </context>
  <context>
    <name>VerdictBanner</name>
    <message>
      <location filename="../../guardstation/ui/verdict_banner.py" line="47" />
      <source>READY</source>
      <translation>SIAP</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/verdict_banner.py" line="48" />
      <source>Show the QR code to the camera</source>
      <translation>Tunjukkan kode QR ke kamera</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/verdict_banner.py" line="64" />
      <source>ATTENTION</source>
      <translation>PERHATIAN</translation>
    </message>
  </context>
  <context>
    <name>SyncStatusBar</name>
    <message>
      <location filename="../../guardstation/ui/sync_status.py" line="1" />
      <source>Standalone: no central server</source>
      <translation>Mandiri: tanpa server pusat</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/sync_status.py" line="1" />
      <source>Connecting to the server…</source>
      <translation>Menghubungi server…</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/sync_status.py" line="1" />
      <source>Online</source>
      <translation>Daring</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/sync_status.py" line="1" />
      <source>Offline (retry at %1)</source>
      <translation>Luring (coba lagi pukul %1)</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/sync_status.py" line="1" />
      <source>queue: %1</source>
      <translation>antrean: %1</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/sync_status.py" line="1" />
      <source>last sync: %1</source>
      <translation>sinkron terakhir: %1</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/sync_status.py" line="1" />
      <source>%1 refused by the server (see log)</source>
      <translation>%1 ditolak server (lihat log)</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/sync_status.py" line="1" />
      <source>%1: never received</source>
      <translation>%1: belum pernah diterima</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/sync_status.py" line="1" />
      <source>%1: %2 min old</source>
      <translation>%1: %2 mnt lalu</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/sync_status.py" line="1" />
      <source>Last problem: %1</source>
      <translation>Masalah terakhir: %1</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/sync_status.py" line="1" />
      <source>Other gates' visits</source>
      <translation>Kunjungan gerbang lain</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/sync_status.py" line="1" />
      <source>Site settings</source>
      <translation>Pengaturan lokasi</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/sync_status.py" line="1" />
      <source>Rule packs</source>
      <translation>Paket aturan</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/sync_status.py" line="1" />
      <source>Status list</source>
      <translation>Daftar status</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/sync_status.py" line="1" />
      <source>Trusted keys</source>
      <translation>Kunci tepercaya</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/sync_status.py" line="1" />
      <source>Alerts</source>
      <translation>Peringatan</translation>
    </message>
  </context>
  <context>
    <name>AlertNotifier</name>
    <message>
      <location filename="../../guardstation/ui/sync_status.py" line="1" />
      <source>Exposure alert</source>
      <translation>Peringatan paparan</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/sync_status.py" line="1" />
      <source>Close contacts are answered BLACK at the gate. Tell the supervisor.</source>
      <translation>Kontak erat dijawab HITAM di gerbang. Beri tahu supervisor.</translation>
    </message>
  </context>
  <context>
    <name>CloseShiftDialog</name>
    <message>
      <location filename="../../guardstation/ui/shift_dialogs.py" line="176" />
      <source>Close shift</source>
      <translation>Tutup shift</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/shift_dialogs.py" line="176" />
      <source>Close shift and hand over</source>
      <translation>Tutup shift dan serah terima</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/shift_dialogs.py" line="190" />
      <source>Done</source>
      <translation>Selesai</translation>
    </message>
  </context>
  <context>
    <name>CorrectionDialog</name>
    <message>
      <location filename="../../guardstation/ui/supervisor_dialogs.py" line="104" />
      <source>Correct a visit</source>
      <translation>Koreksi kunjungan</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/supervisor_dialogs.py" line="104" />
      <source>Save correction</source>
      <translation>Simpan koreksi</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/supervisor_dialogs.py" line="108" />
      <source>Full name</source>
      <translation>Nama lengkap</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/supervisor_dialogs.py" line="110" />
      <location filename="../../guardstation/ui/supervisor_dialogs.py" line="131" />
      <source>Purpose</source>
      <translation>Keperluan</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/supervisor_dialogs.py" line="112" />
      <location filename="../../guardstation/ui/supervisor_dialogs.py" line="132" />
      <source>Host</source>
      <translation>Yang dituju</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/supervisor_dialogs.py" line="114" />
      <source>Has left at</source>
      <translation>Sudah keluar pukul</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/supervisor_dialogs.py" line="126" />
      <source>Optional: what was wrong</source>
      <translation>Opsional: apa yang salah</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/supervisor_dialogs.py" line="128" />
      <source>The original record is kept; the correction is a new entry with your name, and is written to the audit log.</source>
      <translation>Catatan asli tetap disimpan; koreksi dicatat sebagai entri baru atas nama Anda dan masuk ke log audit.</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/supervisor_dialogs.py" line="130" />
      <source>Name</source>
      <translation>Nama</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/supervisor_dialogs.py" line="136" />
      <source>Check-out</source>
      <translation>Keluar</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/supervisor_dialogs.py" line="137" />
      <source>Supervisor</source>
      <translation>Supervisor</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/supervisor_dialogs.py" line="138" />
      <source>Reason</source>
      <translation>Alasan</translation>
    </message>
  </context>
  <context>
    <name>GuardsDialog</name>
    <message>
      <location filename="../../guardstation/ui/supervisor_dialogs.py" line="162" />
      <source>Guards and scan counts</source>
      <translation>Petugas dan jumlah pindai</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/supervisor_dialogs.py" line="162" />
      <source>Close</source>
      <translation>Tutup</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/supervisor_dialogs.py" line="166" />
      <source>Guard</source>
      <translation>Petugas</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/supervisor_dialogs.py" line="166" />
      <source>Scans today</source>
      <translation>Pindai hari ini</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/supervisor_dialogs.py" line="166" />
      <source>Last 7 days</source>
      <translation>7 hari terakhir</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/supervisor_dialogs.py" line="172" />
      <source>Add a guard</source>
      <translation>Tambah petugas</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/supervisor_dialogs.py" line="174" />
      <source>Full name</source>
      <translation>Nama lengkap</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/supervisor_dialogs.py" line="175" />
      <source>4–12 digits</source>
      <translation>4–12 angka</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/supervisor_dialogs.py" line="176" />
      <source>the same PIN again</source>
      <translation>PIN yang sama sekali lagi</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/supervisor_dialogs.py" line="177" />
      <source>Add guard</source>
      <translation>Tambah petugas</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/supervisor_dialogs.py" line="180" />
      <source>Name</source>
      <translation>Nama</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/supervisor_dialogs.py" line="181" />
      <source>PIN</source>
      <translation>PIN</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/supervisor_dialogs.py" line="182" />
      <source>Confirm PIN</source>
      <translation>Ulangi PIN</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/supervisor_dialogs.py" line="210" />
      <source>Guard %1 added.</source>
      <translation>Petugas %1 ditambahkan.</translation>
    </message>
  </context>
  <context>
    <name>NoteDialog</name>
    <message>
      <location filename="../../guardstation/ui/shift_dialogs.py" line="119" />
      <source>Shift book: note or incident</source>
      <translation>Buku mutasi: catatan atau kejadian</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/shift_dialogs.py" line="119" />
      <source>Save</source>
      <translation>Simpan</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/shift_dialogs.py" line="125" />
      <source>What happened, who was involved, what was done</source>
      <translation>Apa yang terjadi, siapa yang terlibat, apa tindakannya</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/shift_dialogs.py" line="127" />
      <source>Author</source>
      <translation>Penulis</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/shift_dialogs.py" line="128" />
      <source>Category</source>
      <translation>Kategori</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/shift_dialogs.py" line="129" />
      <source>Note</source>
      <translation>Catatan</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/shift_dialogs.py" line="134" />
      <source>Write the note first.</source>
      <translation>Tulis catatannya dulu.</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/shift_dialogs.py" line="137" />
      <source>The note is too long (at most %1 characters).</source>
      <translation>Catatan terlalu panjang (maks. %1 karakter).</translation>
    </message>
  </context>
  <context>
    <name>OpenShiftDialog</name>
    <message>
      <location filename="../../guardstation/ui/shift_dialogs.py" line="94" />
      <source>Open shift</source>
      <translation>Buka shift</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/shift_dialogs.py" line="98" />
      <source>Your guard PIN</source>
      <translation>PIN petugas Anda</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/shift_dialogs.py" line="99" />
      <source>The guard on duty is named in every record until the shift is closed.</source>
      <translation>Petugas yang bertugas dicatat di setiap catatan sampai shift ditutup.</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/shift_dialogs.py" line="101" />
      <source>Guard</source>
      <translation>Petugas</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/shift_dialogs.py" line="102" />
      <source>PIN</source>
      <translation>PIN</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/shift_dialogs.py" line="104" />
      <source>No guards registered yet: the supervisor adds them under Shift → Guards.</source>
      <translation>Belum ada petugas terdaftar: supervisor menambahkannya di Shift → Petugas.</translation>
    </message>
  </context>
  <context>
    <name>OverrideDialog</name>
    <message>
      <location filename="../../guardstation/ui/supervisor_dialogs.py" line="67" />
      <source>Admit a refused person</source>
      <translation>Izinkan orang yang ditolak</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/supervisor_dialogs.py" line="67" />
      <source>Admit</source>
      <translation>Izinkan</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/supervisor_dialogs.py" line="70" />
      <source>The refusal stays in the log. A new check-in is recorded with your name and reason, and written to the audit log.</source>
      <translation>Penolakan tetap tercatat. Check-in baru dicatat dengan nama dan alasan Anda, dan masuk ke log audit.</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/supervisor_dialogs.py" line="72" />
      <source>Mandatory: e.g. invited by the Regent, checked by phone</source>
      <translation>Wajib: mis. undangan Bupati, sudah dicek lewat telepon</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/supervisor_dialogs.py" line="73" />
      <source>Supervisor</source>
      <translation>Supervisor</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/supervisor_dialogs.py" line="74" />
      <source>Reason</source>
      <translation>Alasan</translation>
    </message>
  </context>
  <context>
    <name>ShiftBook</name>
    <message>
      <location filename="../../guardstation/ui/shift_dialogs.py" line="33" />
      <source>Too many wrong PINs for this guard. Try again after %1.</source>
      <translation>Terlalu sering salah PIN untuk petugas ini. Coba lagi setelah %1.</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/shift_dialogs.py" line="36" />
      <source>Enter the guard's name.</source>
      <translation>Isi nama petugas.</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/shift_dialogs.py" line="37" />
      <source>A guard named %1 already exists.</source>
      <translation>Petugas bernama %1 sudah ada.</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/shift_dialogs.py" line="38" />
      <source>No guard named %1. The supervisor adds guards under Shift → Guards.</source>
      <translation>Tidak ada petugas bernama %1. Supervisor menambah petugas di Shift → Petugas.</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/shift_dialogs.py" line="40" />
      <source>The shift of %1 is still open: close it first.</source>
      <translation>Shift %1 masih terbuka: tutup dulu.</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/shift_dialogs.py" line="42" />
      <source>No shift is open. Open a shift first.</source>
      <translation>Belum ada shift yang dibuka. Buka shift dulu.</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/shift_dialogs.py" line="43" />
      <source>Write the note first.</source>
      <translation>Tulis catatannya dulu.</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/shift_dialogs.py" line="44" />
      <source>Choose a category.</source>
      <translation>Pilih kategori.</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/shift_dialogs.py" line="51" />
      <source>Handover</source>
      <translation>Serah terima</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/shift_dialogs.py" line="51" />
      <source>Incident</source>
      <translation>Kejadian</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/shift_dialogs.py" line="52" />
      <source>Note</source>
      <translation>Catatan</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/shift_dialogs.py" line="150" />
      <source>Shift closed — handover</source>
      <translation>Shift ditutup — serah terima</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/shift_dialogs.py" line="150" />
      <source>Handover summary</source>
      <translation>Ringkasan serah terima</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/shift_dialogs.py" line="151" />
      <source>Still inside</source>
      <translation>Masih di dalam</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/shift_dialogs.py" line="151" />
      <source>Nobody.</source>
      <translation>Tidak ada.</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/shift_dialogs.py" line="152" />
      <source>Incidents</source>
      <translation>Kejadian</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/shift_dialogs.py" line="152" />
      <source>Handover notes</source>
      <translation>Catatan serah terima</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/shift_dialogs.py" line="153" />
      <source>Scans by verdict</source>
      <translation>Pindai per hasil</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/shift_dialogs.py" line="154" />
      <source>Check-outs: %1 (automatic: %2)</source>
      <translation>Keluar: %1 (otomatis: %2)</translation>
    </message>
  </context>
  <context>
    <name>ShiftStatus</name>
    <message>
      <location filename="../../guardstation/ui/shift_status.py" line="26" />
      <source>No shift open — Shift → Open shift</source>
      <translation>Belum ada shift — Shift → Buka shift</translation>
    </message>
    <message numerus="yes">
      <location filename="../../guardstation/ui/shift_status.py" line="29" />
      <source>On duty: %1 since %2 · %n scan(s)</source>
      <translation>
        <numerusform>Bertugas: %1 sejak %2 · %n pindai</numerusform>
      </translation>
    </message>
  </context>
  <context>
    <name>Supervision</name>
    <message>
      <location filename="../../guardstation/ui/supervisor_dialogs.py" line="29" />
      <source>A reason is required: say why this person may enter.</source>
      <translation>Alasan wajib diisi: jelaskan mengapa orang ini boleh masuk.</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/supervisor_dialogs.py" line="30" />
      <source>Enter the supervisor's name.</source>
      <translation>Isi nama supervisor.</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/supervisor_dialogs.py" line="31" />
      <source>This visit is no longer in the log.</source>
      <translation>Kunjungan ini sudah tidak ada di log.</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/supervisor_dialogs.py" line="32" />
      <source>Only a refused scan can be admitted by the supervisor.</source>
      <translation>Hanya pindaian yang ditolak yang dapat diizinkan supervisor.</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/supervisor_dialogs.py" line="33" />
      <source>This refusal has already been overridden.</source>
      <translation>Penolakan ini sudah diizinkan sebelumnya.</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/supervisor_dialogs.py" line="34" />
      <source>This person is already inside (another visit is open).</source>
      <translation>Orang ini sudah di dalam (ada kunjungan lain yang terbuka).</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/supervisor_dialogs.py" line="35" />
      <source>Nothing was changed.</source>
      <translation>Tidak ada yang diubah.</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/supervisor_dialogs.py" line="36" />
      <source>The name cannot be empty.</source>
      <translation>Nama tidak boleh kosong.</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/supervisor_dialogs.py" line="37" />
      <source>A refused scan has no check-out time.</source>
      <translation>Pindaian yang ditolak tidak punya jam keluar.</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/supervisor_dialogs.py" line="38" />
      <source>The check-out time is not valid.</source>
      <translation>Jam keluar tidak sah.</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/supervisor_dialogs.py" line="39" />
      <source>The check-out time is before the check-in time.</source>
      <translation>Jam keluar lebih awal dari jam masuk.</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/supervisor_dialogs.py" line="40" />
      <source>The check-out time is in the future.</source>
      <translation>Jam keluar ada di masa depan.</translation>
    </message>
  </context>
  <context>
    <name>SupervisorDesk</name>
    <message>
      <location filename="../../guardstation/ui/supervisor_desk.py" line="100" />
      <source>S&amp;hift</source>
      <translation>S&amp;hift</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/supervisor_desk.py" line="101" />
      <source>Open shift…</source>
      <translation>Buka shift…</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/supervisor_desk.py" line="102" />
      <source>Note or incident…</source>
      <translation>Catatan atau kejadian…</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/supervisor_desk.py" line="103" />
      <source>Close shift…</source>
      <translation>Tutup shift…</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/supervisor_desk.py" line="105" />
      <source>Guards and scan counts…</source>
      <translation>Petugas dan jumlah pindai…</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/supervisor_desk.py" line="107" />
      <source>S&amp;upervisor</source>
      <translation>S&amp;upervisor</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/supervisor_desk.py" line="108" />
      <source>Admit the refused person…</source>
      <translation>Izinkan orang yang ditolak…</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/supervisor_desk.py" line="109" />
      <source>Correct the visit…</source>
      <translation>Koreksi kunjungan…</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/supervisor_desk.py" line="202" />
      <source>Close shift</source>
      <translation>Tutup shift</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/supervisor_desk.py" line="214" />
      <source>(no shift open)</source>
      <translation>(tanpa shift)</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/supervisor_desk.py" line="224" />
      <source>Enter the supervisor PIN to see and add guards.</source>
      <translation>Masukkan PIN supervisor untuk melihat dan menambah petugas.</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/supervisor_desk.py" line="237" />
      <source>Admit the refused person</source>
      <translation>Izinkan orang yang ditolak</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/supervisor_desk.py" line="237" />
      <source>Select a refused scan in the log first.</source>
      <translation>Pilih dulu pindaian yang ditolak di log.</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/supervisor_desk.py" line="243" />
      <source>Enter the supervisor PIN to admit a refused person.</source>
      <translation>Masukkan PIN supervisor untuk mengizinkan orang yang ditolak.</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/supervisor_desk.py" line="253" />
      <source>Correct the visit</source>
      <translation>Koreksi kunjungan</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/supervisor_desk.py" line="253" />
      <source>Select a visit in the log or the inside-now list first.</source>
      <translation>Pilih dulu kunjungan di log atau di daftar yang di dalam.</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/supervisor_desk.py" line="260" />
      <source>Enter the supervisor PIN to correct a visit.</source>
      <translation>Masukkan PIN supervisor untuk mengoreksi kunjungan.</translation>
    </message>
  </context>
  <context>
    <name>VisitNotices</name>
    <message numerus="yes">
      <location filename="../../guardstation/ui/shift_status.py" line="68" />
      <source>%n person(s) inside for more than %1 hours: %2</source>
      <translation>
        <numerusform>%n orang di dalam lebih dari %1 jam: %2</numerusform>
      </translation>
    </message>
    <message numerus="yes">
      <location filename="../../guardstation/ui/shift_status.py" line="74" />
      <source>%n forgotten check-out(s) closed automatically at the closing time (%1), marked "auto": %2</source>
      <translation>
        <numerusform>%n kunjungan yang lupa check-out ditutup otomatis pada jam tutup (%1), ditandai "otomatis": %2</numerusform>
      </translation>
    </message>
  </context>
  <context>
    <name>_DeskDialog</name>
    <message>
      <location filename="../../guardstation/ui/shift_dialogs.py" line="67" />
      <source>Cancel</source>
      <translation>Batal</translation>
    </message>
  </context>
  <context>
    <name>_SupervisorDialog</name>
    <message>
      <location filename="../../guardstation/ui/supervisor_dialogs.py" line="58" />
      <source>Name of the supervisor on duty</source>
      <translation>Nama supervisor yang bertugas</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/supervisor_dialogs.py" line="60" />
      <source>Why</source>
      <translation>Mengapa</translation>
    </message>
  </context>
  <context>
    <name>ClockNotice</name>
    <message>
      <source>%1 minutes</source>
      <translation>%1 menit</translation>
    </message>
    <message>
      <source>%1 hours</source>
      <translation>%1 jam</translation>
    </message>
    <message>
      <source>%1 days</source>
      <translation>%1 hari</translation>
    </message>
    <message>
      <source>The computer's clock went back by %1 (it shows %2). Visit times continue from the last known time and expired passes stay expired; set the date and time.</source>
      <translation>Jam komputer mundur %1 (menunjukkan %2). Waktu kunjungan dilanjutkan dari waktu terakhir yang diketahui dan kartu yang sudah kedaluwarsa tetap kedaluwarsa; atur tanggal dan jam.</translation>
    </message>
    <message>
      <source>The computer's clock jumped forward by %1 (it shows %2). Check the date and time: valid passes may be judged expired.</source>
      <translation>Jam komputer melompat maju %1 (menunjukkan %2). Periksa tanggal dan jam: kartu yang masih berlaku bisa dianggap kedaluwarsa.</translation>
    </message>
  </context>
  <context>
    <name>DatabaseRecovery</name>
    <message>
      <source>The station's database is damaged and cannot be used. The last good backup is from %1.

Restore it? Visits recorded after %1 are not in it; the damaged database is kept beside it, renamed.</source>
      <translation>Basis data stasiun rusak dan tidak dapat dipakai. Cadangan baik terakhir dari %1.

Pulihkan cadangan itu? Kunjungan yang tercatat sesudah %1 tidak ada di dalamnya; basis data yang rusak disimpan di sebelahnya dengan nama lain.</translation>
    </message>
  </context>
</TS>