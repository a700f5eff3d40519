<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="id_ID" sourcelanguage="en">
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
      <location filename="../../guardstation/ui/capacity_gauge.py" line="14" />
      <source>Inside / capacity</source>
      <translation>Di dalam / kapasitas</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/capacity_gauge.py" line="36" />
      <source>No capacity limit set</source>
      <translation>Tidak ada batas kapasitas</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/capacity_gauge.py" line="41" />
      <source>FULL: wait until someone leaves</source>
      <translation>PENUH: tunggu sampai ada yang keluar</translation>
    </message>
  </context>
  <context>
    <name>FreshnessLabel</name>
    <message>
      <location filename="../../guardstation/ui/freshness_label.py" line="29" />
      <source>keys</source>
      <translation>kunci</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/freshness_label.py" line="29" />
      <source>rules</source>
      <translation>aturan</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/freshness_label.py" line="30" />
      <source>status list</source>
      <translation>daftar status</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/freshness_label.py" line="44" />
      <source>Data age:</source>
      <translation>Umur data:</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/freshness_label.py" line="46" />
      <source>stale data: entries are DENIED</source>
      <translation>data usang: masuk DITOLAK</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/freshness_label.py" line="47" />
      <source>stale data: admitting with a warning</source>
      <translation>data usang: masuk dengan peringatan</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/freshness_label.py" line="50" />
      <source>Age of the trusted keys, rule pack and status list</source>
      <translation>Umur kunci tepercaya, paket aturan dan daftar status</translation>
    </message>
  </context>
  <context>
    <name>InsideNowModel</name>
    <message>
      <location filename="../../guardstation/ui/table_models.py" line="127" />
      <source>Since</source>
      <translation>Sejak</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/table_models.py" line="127" />
      <source>Name</source>
      <translation>Nama</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/table_models.py" line="127" />
      <source>NIK</source>
      <translation>NIK</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/table_models.py" line="127" />
      <source>Purpose</source>
      <translation>Keperluan</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/table_models.py" line="127" />
      <source>Host</source>
      <translation>Tujuan</translation>
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
      <location filename="../../guardstation/ui/main_window.py" line="42" />
      <source>GuardStation — %1 · %2</source>
      <translation>GuardStation — %1 · %2</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/main_window.py" line="51" />
      <source>Check out selected</source>
      <translation>Catat keluar yang dipilih</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/main_window.py" line="57" />
      <source>Search name in the log…</source>
      <translation>Cari nama di log…</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/main_window.py" line="61" />
      <source>Auto (in/out)</source>
      <translation>Otomatis (masuk/keluar)</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/main_window.py" line="61" />
      <source>In only</source>
      <translation>Masuk saja</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/main_window.py" line="62" />
      <source>Out only</source>
      <translation>Keluar saja</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/main_window.py" line="66" />
      <source>Camera: starting</source>
      <translation>Kamera: menyala…</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/main_window.py" line="91" />
      <source>Keys stored in a file (no OS keyring)</source>
      <translation>Kunci disimpan di berkas (tanpa keyring OS)</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/main_window.py" line="97" />
      <source>Gate mode:</source>
      <translation>Mode gerbang:</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/main_window.py" line="108" />
      <source>&lt;b&gt;Inside now&lt;/b&gt; (evacuation list)</source>
      <translation>&lt;b&gt;Di dalam sekarang&lt;/b&gt; (daftar evakuasi)</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/main_window.py" line="124" />
      <source>&lt;b&gt;Recent scans&lt;/b&gt;</source>
      <translation>&lt;b&gt;Pindaian terakhir&lt;/b&gt;</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/main_window.py" line="159" />
      <source>employee</source>
      <translation>pegawai</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/main_window.py" line="161" />
      <source>visitor</source>
      <translation>tamu</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/main_window.py" line="184" />
      <source>Disk full: scans are NOT being recorded. Free disk space, then scan again.</source>
      <translation>Disk penuh: pindaian TIDAK tercatat. Kosongkan ruang disk, lalu pindai ulang.</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/main_window.py" line="185" />
      <source>Storage is read-only: scans are NOT being recorded.</source>
      <translation>Penyimpanan hanya-baca: pindaian TIDAK tercatat.</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/main_window.py" line="186" />
      <source>Database busy: scan not recorded, please scan again.</source>
      <translation>Basis data sibuk: pindaian tidak tercatat, silakan pindai ulang.</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/main_window.py" line="197" />
      <source>Something went wrong. The data recorded so far is safe.
Log folder: %1</source>
      <translation>Terjadi kesalahan. Data yang sudah tercatat aman.
Folder log: %1</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/main_window.py" line="198" />
      <source>Unexpected error</source>
      <translation>Kesalahan tak terduga</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/main_window.py" line="206" />
      <source>Camera: on</source>
      <translation>Kamera: aktif</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/main_window.py" line="209" />
      <source>Camera disconnected — manual entry still works</source>
      <translation>Kamera terputus — entri manual tetap bisa</translation>
    </message>
  </context>
  <context>
    <name>ManualEntryPanel</name>
    <message>
      <location filename="../../guardstation/ui/manual_entry.py" line="22" />
      <source>Manual entry (no phone)</source>
      <translation>Entri manual (tanpa ponsel)</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/manual_entry.py" line="24" />
      <source>16-digit NIK from the ID card</source>
      <translation>NIK 16 digit dari KTP</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/manual_entry.py" line="28" />
      <source>Full name as on the ID card</source>
      <translation>Nama lengkap sesuai KTP</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/manual_entry.py" line="30" />
      <source>e.g. meeting, KTP service</source>
      <translation>mis. rapat, layanan KTP</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/manual_entry.py" line="32" />
      <source>person or office visited</source>
      <translation>orang atau bagian yang dituju</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/manual_entry.py" line="34" />
      <source>Record entry</source>
      <translation>Catat masuk</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/manual_entry.py" line="37" />
      <source>NIK</source>
      <translation>NIK</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/manual_entry.py" line="39" />
      <source>Name</source>
      <translation>Nama</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/manual_entry.py" line="40" />
      <source>Purpose</source>
      <translation>Keperluan</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/manual_entry.py" line="41" />
      <source>Host</source>
      <translation>Tujuan</translation>
    </message>
    <message numerus="yes">
      <location filename="../../guardstation/ui/manual_entry.py" line="54" />
      <source>%n more digit(s)</source>
      <translation>
        <numerusform>kurang %n digit</numerusform>
      </translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/manual_entry.py" line="61" />
      <source>female</source>
      <translation>perempuan</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/manual_entry.py" line="61" />
      <source>male</source>
      <translation>laki-laki</translation>
    </message>
  </context>
  <context>
    <name>ScanLogModel</name>
    <message>
      <location filename="../../guardstation/ui/table_models.py" line="44" />
      <source>Time</source>
      <translation>Waktu</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/table_models.py" line="44" />
      <source>Verdict</source>
      <translation>Hasil</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/table_models.py" line="44" />
      <source>Name</source>
      <translation>Nama</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/table_models.py" line="44" />
      <source>NIK</source>
      <translation>NIK</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/table_models.py" line="44" />
      <source>Reason</source>
      <translation>Alasan</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/table_models.py" line="45" />
      <source>Purpose</source>
      <translation>Keperluan</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/table_models.py" line="45" />
      <source>Gate</source>
      <translation>Gerbang</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/table_models.py" line="45" />
      <source>Out</source>
      <translation>Keluar</translation>
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
      <location filename="../../guardstation/ui/verdict_banner.py" line="46" />
      <source>READY</source>
      <translation>SIAP</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/verdict_banner.py" line="47" />
      <source>Show the QR code to the camera</source>
      <translation>Tunjukkan kode QR ke kamera</translation>
    </message>
    <message>
      <location filename="../../guardstation/ui/verdict_banner.py" line="63" />
      <source>ATTENTION</source>
      <translation>PERHATIAN</translation>
    </message>
  </context>
</TS>