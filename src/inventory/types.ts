/** Where a piece of inventory data came from: file name (as given) and 1-based physical line. */
export interface SourceRef {
  file: string;
  line: number;
}

/** Canonical inventory fields. Header aliases map onto these (see fields.ts). */
export const CANONICAL_FIELDS = [
  'hostname',
  'fqdn',
  'domain',
  'os_platform', // Intune "OS", osquery "platform": only the platform (Windows, iOS, ...)
  'os_name', // caption / product name
  'os_version', // "6.1.7601", "10.0.19045.4291", "6.1 (7601)", "6.1.7601 Service Pack 1 Build 7601"
  'os_build', // 7601, 19045
  'os_revision', // UBR: 4291
  'os_release', // feature update: 1607, 22H2
  'os_edition', // Enterprise, Professional (Intune SkuFamily)
  'service_pack', // "Service Pack 3", "3", "SP3"
  'os_arch', // 64-bit, x86, AMD64
  'product_type', // WMI ProductType: 1 workstation, 2 DC, 3 server
  'mdm_managed', // a device-management column (Intune "Managed by", managementAgent): the file is an MDM device list
  'kb', // one KB per row (long format)
  'kb_list', // many KBs in one cell (wide format)
  'kb_installed_on',
  'kb_status', // with one KB per row: installed, required, failed, … (update-compliance exports)
  'kb_operation', // with one KB per row of an update history: installation or uninstallation
  'kb_missing', // updates a sheet names as missing ("Missing KBs", "Outstanding patches"): never counted as installed
  'last_patch_date',
  'last_seen',
  'os_install_date',
  'site',
  'ip',
  'serial',
  'user',
  'esu', // enrolled in Extended Security Updates
  'smb1_enabled',
  'srv_sys_version', // file version of %SystemRoot%\System32\drivers\srv.sys
  'internet_facing',
  'rdp_exposed',
  'criticality',
  'role',
] as const;

export type CanonicalField = (typeof CANONICAL_FIELDS)[number];

export type OsFamily = 'windows' | 'linux' | 'macos' | 'other' | 'unknown';

/**
 * Windows 10/11 servicing class (or, for older products, the SKU whose lifecycle differs from the
 * product's; see below). Microsoft gives feature updates different end dates for
 * Home/Pro ("consumer", called W in the research notes) and Enterprise/Education ("enterprise", E);
 * LTSB/LTSC and IoT LTSC have their own fixed lifecycles.
 */
export type EditionClass =
  | 'consumer'
  | 'enterprise'
  | 'ltsc'
  | 'iot-ltsc'
  // Older products: an embedded or special-purpose SKU built on the product, whose lifecycle differs
  // from it (Windows 7: Embedded Standard 7, POSReady 7, Thin PC; Windows 8: Embedded 8 Standard;
  // Windows 8.1: Embedded 8.1 Industry; Windows Server 2003 / 2008 R2: Windows Home Server / 2011).
  | 'embedded-standard-7'
  | 'posready-7'
  | 'thin-pc'
  | 'embedded-8-standard'
  | 'embedded-8.1-industry'
  | 'home-server';

export type Arch = 'x86' | 'x64' | 'arm64' | 'ia64' | 'arm';

/** What the OS normaliser makes of an inventory row's OS strings. */
export interface OsInfo {
  /** The raw strings the verdict rests on, joined with " | ", control characters kept as read. */
  raw: string;
  family: OsFamily;
  /**
   * Canonical product, or null when not recognised. Windows: "Windows XP", "Windows Server 2003",
   * "Windows Vista", "Windows Server 2008", "Windows 7", "Windows Server 2008 R2", "Windows 8",
   * "Windows RT", "Windows 8.1", "Windows RT 8.1", "Windows Server 2012", "Windows Server 2012 R2",
   * "Windows 10", "Windows 11", "Windows Server 2016", "Windows Server 2019", "Windows Server 2022",
   * "Windows Server 2025", "Windows Server" (semi-annual/annual channel), "Windows 2000",
   * "Windows XP Embedded", "Windows Embedded for Point of Service", "Windows Embedded Standard 2009",
   * "Windows Embedded POSReady 2009". Others: "Ubuntu", "Debian",
   * "Red Hat Enterprise Linux", "CentOS", "Rocky Linux", "AlmaLinux", "Oracle Linux",
   * "SUSE Linux Enterprise Server", "Amazon Linux", "macOS", "iOS", "Android".
   */
  product: string | null;
  /** Feature update / version within the product: "1607", "22H2", "LTSC 2019" is NOT used here (see editionClass); distro "22.04", "12", "9"; Amazon Linux "2", "2023", "2018.03"; macOS "14". */
  release: string | null;
  /** Edition words as read: "Enterprise", "Professional", "Datacenter", "Enterprise LTSC". */
  edition: string | null;
  editionClass: EditionClass | null;
  /**
   * A Home edition (Home, Core, Home Single Language, S, SE): set only when the edition words say so.
   * Its Extended Security Updates are the consumer programme's only (see LifecycleEntry.homeEsuEnd).
   */
  home?: true;
  /** NT version "5.1", "6.1", "10.0" (Windows only). */
  ntVersion: string | null;
  build: number | null;
  revision: number | null;
  servicePack: number | null;
  /** true = server, false = workstation, null = cannot tell. */
  server: boolean | null;
  arch: Arch | null;
  /** Human-readable notes about how the product was decided (e.g. build newer than any known). */
  notes: string[];
}

/** One data row of an inventory after column mapping (before grouping into hosts). */
export interface InventoryRecord {
  source: SourceRef;
  /** Canonical field -> trimmed value ('' when the column exists but the cell is empty). */
  fields: Partial<Record<CanonicalField, string>>;
  /** Every column of the row under its original header, including unknown ones (null-prototype object). */
  columns: Record<string, string>;
  /** How the row was read, where that is worth telling (fields read by systeminfo's order): become the host's OS notes. */
  notes?: readonly string[];
}

/** A machine, possibly assembled from several rows and files. */
export interface Host {
  hostname: string;
  /** Grouping key: lower-cased short name. */
  key: string;
  /** Its rows: the first 50, then the first of each later run from another file (see HostBuilder.add). */
  sources: SourceRef[];
  os: OsInfo;
  /** Installed updates, normalised "KB4012212". */
  kbs: Set<string>;
  /** True when some KB column existed for this host (even if empty). */
  kbEvidence: boolean;
  /**
   * Why an update cell was not read as a list ("System.Object[]", a list cut short): without a list, the
   * first such cell; with one, the first that stands for a list not read in full (then the list cannot
   * show an update missing).
   */
  updatesUnread?: string;
  /** Updates the inventory names but says are not installed (required, failed, pending…): KB → its words. */
  kbsNotInstalled?: Map<string, string>;
  /** Canonical fields (first non-empty value wins, except where merging says otherwise). */
  fields: Partial<Record<CanonicalField, string>>;
  /** Original columns, passed through to reports (null-prototype object). */
  columns: Record<string, string>;
  /** Rows of one wide file that name this host but disagree: the merged data cannot be trusted. */
  conflicts?: string[];
}

/** A row that could not be audited. */
export interface RejectedRow {
  file: string;
  line: number;
  reason: string;
}
