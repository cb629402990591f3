/**
 * Every product name the OS reader can give a host (OsInfo.product). Rule packs match these exact
 * strings, so a name the reader gives and a pack lacks makes every such host `unknown` with "no
 * data": the pack tests check each name against every built-in pack.
 */
export const WINDOWS_PRODUCTS = [
  'Windows 2000',
  'Windows XP',
  'Windows XP Embedded',
  // XP-based embedded products, each with a lifecycle of its own (win-eos.json).
  'Windows Embedded for Point of Service',
  'Windows Embedded Standard 2009',
  'Windows Embedded POSReady 2009',
  'Windows Server 2003',
  'Windows Server 2003 R2',
  'Windows Vista',
  'Windows Server 2008',
  'Windows 7',
  'Windows Server 2008 R2',
  'Windows 8',
  'Windows RT',
  'Windows 8.1',
  'Windows RT 8.1',
  'Windows Server 2012',
  'Windows Server 2012 R2',
  'Windows 10',
  'Windows 11',
  'Windows Server 2016',
  'Windows Server 2019',
  'Windows Server 2022',
  'Windows Server 2025',
  // The semi-annual/annual channel ("Windows Server, version 1709" … "23H2"), named with its release.
  'Windows Server',
] as const;
export type WindowsProduct = (typeof WINDOWS_PRODUCTS)[number];

/** Products of the other families: Linux, macOS and VMware ESXi (judged by OS-EOS), phones and tablets (no lifecycle data: unknown). */
export const OTHER_PRODUCTS = [
  'Ubuntu',
  'Debian',
  'Red Hat Enterprise Linux',
  'CentOS',
  'Rocky Linux',
  'AlmaLinux',
  'Oracle Linux',
  'SUSE Linux Enterprise Server',
  'Amazon Linux',
  'macOS',
  'iOS',
  'Android',
  // The bare-metal hypervisor (family other), judged by OS-EOS per major.minor release.
  'VMware ESXi',
] as const;
export type OtherProduct = (typeof OTHER_PRODUCTS)[number];
