import fc from 'fast-check';
import { normaliseOs, type OsInput } from '../../../src/inventory/normalise-os.js';
import type { OsInfo } from '../../../src/inventory/types.js';

type Expect = Partial<OsInfo>;
type Row = [label: string, input: OsInput, expected: Expect];

const run = (rows: Row[]) =>
  test.each(rows)('%s', (_label, input, expected) => {
    expect(normaliseOs(input)).toMatchObject(expected);
  });

const XP: Expect = { family: 'windows', product: 'Windows XP', ntVersion: '5.1', server: false, release: null };

describe('inventory-formats §7: Windows XP (NT 5.1)', () => {
  run([
    ['WMI caption', { osName: 'Microsoft Windows XP Professional' }, { ...XP, edition: 'Professional', build: null }],
    ['Home Edition caption', { osName: 'Microsoft Windows XP Home Edition' }, { ...XP, edition: 'Home' }],
    ['AD name + AD version', { osName: 'Windows XP Professional', osVersion: '5.1 (2600)' }, { ...XP, build: 2600 }],
    ['Lansweeper short name + OScode', { osName: 'Win XP', osVersion: '5.1.2600', servicePack: '3' }, { ...XP, build: 2600, servicePack: 3 }],
    ['SCCM NT-family string', { osName: 'Microsoft Windows NT Workstation 5.1' }, { ...XP, edition: null }],
    ['bare version', { osVersion: '5.1.2600' }, { ...XP, build: 2600 }],
    ['bare AD version', { osVersion: '5.1 (2600)' }, { ...XP, build: 2600 }],
    ['systeminfo version', { osVersion: '5.1.2600 Service Pack 3 Build 2600' }, { ...XP, build: 2600, servicePack: 3 }],
    ['msinfo32 version', { osVersion: 'Version 5.1.2600 Service Pack 3 Build 2600' }, { ...XP, build: 2600, servicePack: 3 }],
    ['ver output', { osVersion: 'Microsoft Windows XP [Version 5.1.2600]' }, { ...XP, build: 2600 }],
    ['node os.type()+release()', { osVersion: 'Windows_NT 5.1.2600' }, { ...XP, build: 2600 }],
    ['Mozilla with SP in the version', { osVersion: 'Windows_NT 5.1.3.0 (x86)' }, { ...XP, build: null, servicePack: 3, arch: 'x86' }],
    ['Mozilla short', { osVersion: 'Windows_NT 5.1' }, { ...XP, build: null, servicePack: null }],
    ['hand-made SP3', { osName: 'Windows XP SP3' }, { ...XP, servicePack: 3 }],
    ['hand-made Service Pack 3', { osName: 'Windows XP Service Pack 3' }, { ...XP, servicePack: 3, edition: null }],
    ['GLPI row', { osName: 'Microsoft Windows XP Professional', osVersion: '5.1.2600', servicePack: 'Service Pack 3' }, { ...XP, servicePack: 3, build: 2600 }],
    [
      'POSReady 2009',
      { osName: 'Windows Embedded POSReady 2009', osVersion: '5.1.2600', servicePack: 'SP3' },
      { family: 'windows', product: 'Windows Embedded POSReady 2009', ntVersion: '5.1', servicePack: 3, server: false },
    ],
    ['XP Embedded', { osName: 'Windows XP Embedded', servicePack: 'Service Pack 3' }, { product: 'Windows XP Embedded', ntVersion: '5.1', servicePack: 3 }],
    // Windows Embedded Standard 2009 and WEPOS are XP-based but have lifecycles of their own (not XP Embedded's, not XP's).
    ['Windows Embedded Standard (2009)', { osName: 'Windows Embedded Standard', osVersion: '5.1.2600' }, { product: 'Windows Embedded Standard 2009', ntVersion: '5.1', build: 2600 }],
    ['Windows Embedded Standard 2009', { osName: 'Windows Embedded Standard 2009' }, { product: 'Windows Embedded Standard 2009', ntVersion: '5.1', server: false }],
    [
      'WES 2009 branding string with systeminfo version',
      { osName: 'Microsoft Windows Embedded Standard', osVersion: '5.1.2600 Service Pack 3 Build 2600' },
      { family: 'windows', product: 'Windows Embedded Standard 2009', ntVersion: '5.1', build: 2600, servicePack: 3, server: false },
    ],
    ['WES 2009 as a bare build', { osName: 'Microsoft Windows Embedded Standard', build: '2600' }, { product: 'Windows Embedded Standard 2009', ntVersion: '5.1' }],
    [
      'WEPOS branding string',
      { osName: 'Microsoft Windows Embedded for Point of Service', osVersion: '5.1.2600', servicePack: 'Service Pack 3' },
      { family: 'windows', product: 'Windows Embedded for Point of Service', ntVersion: '5.1', build: 2600, servicePack: 3, server: false },
    ],
    ['WEPOS as Configuration Manager lists it', { osName: 'WEPOS 1.1 with SP3' }, { family: 'windows', product: 'Windows Embedded for Point of Service', ntVersion: '5.1', servicePack: 3 }],
    ['WEPOS with (R) marks', { osName: 'Microsoft(R) Windows(R) Embedded for Point of Service', osVersion: '5.1.2600' }, { product: 'Windows Embedded for Point of Service', build: 2600 }],
  ]);
});

describe('XP-based embedded names against other Windows versions', () => {
  test.each([
    // The name's product is not overridden by a version of another Windows: the host is in conflict, unknown.
    ['Standard 2009 named, NT 6.1 version', { osName: 'Windows Embedded Standard 2009', osVersion: '6.1.7601' }, null, null],
    ['WEPOS named, NT 6.1 version', { osName: 'Microsoft Windows Embedded for Point of Service', osVersion: '6.1.7601' }, null, null],
    // "Windows Embedded Standard" stays Standard 7 on NT 6.1 and Embedded 8 Standard on 6.2.
    ['"Windows Embedded Standard" on 6.1 stays Standard 7', { osName: 'Microsoft Windows Embedded Standard', osVersion: '6.1.7601 Service Pack 1 Build 7601' }, 'Windows 7', 'embedded-standard-7'],
    ['"Windows Embedded Standard" on 6.2 stays Embedded 8 Standard', { osName: 'Microsoft Windows Embedded Standard', osVersion: '6.2.9200' }, 'Windows 8', 'embedded-8-standard'],
    ['"Windows Embedded Standard 7" is not 2009', { osName: 'Windows Embedded Standard 7', osVersion: '6.1.7601' }, 'Windows 7', 'embedded-standard-7'],
    // The older and the newer XP-based products keep their own names.
    ['XP Embedded stays XP Embedded', { osName: 'Microsoft Windows XP Embedded', osVersion: '5.1.2600' }, 'Windows XP Embedded', null],
    ['POSReady 2009 stays POSReady 2009', { osName: 'Microsoft Windows Embedded POSReady 2009', osVersion: '5.1.2600' }, 'Windows Embedded POSReady 2009', null],
    ['a desktop XP caption stays Windows XP', { osName: 'Microsoft Windows XP Professional', osVersion: '5.1.2600' }, 'Windows XP', null],
  ])('%s', (_label, input, product, editionClass) => {
    const os = normaliseOs(input);
    expect({ product: os.product, editionClass: os.editionClass }).toEqual({ product, editionClass });
  });
});

describe('inventory-formats §7: Windows XP x64 and Server 2003 (NT 5.2)', () => {
  const XP64: Expect = { family: 'windows', product: 'Windows XP', ntVersion: '5.2', server: false, arch: 'x64' };
  const S2003: Expect = { family: 'windows', product: 'Windows Server 2003', ntVersion: '5.2', server: true };
  run([
    ['Lansweeper "Win XP" with OScode 5.2.3790', { osName: 'Win XP', osVersion: '5.2.3790' }, { ...XP64, build: 3790 }],
    ['XP x64 caption', { osName: 'Microsoft Windows XP Professional x64 Edition' }, { ...XP64, edition: 'Professional' }],
    ['5.2.3790 + workstation product type', { osVersion: '5.2.3790', productType: '1' }, { ...XP64, build: 3790 }],
    ['5.2.3790 + workstation word + AMD64', { osVersion: '5.2.3790', productType: 'Workstation', arch: 'AMD64' }, XP64],
    ['2003 caption with (R)', { osName: 'Microsoft(R) Windows(R) Server 2003, Enterprise Edition' }, { ...S2003, edition: 'Enterprise' }],
    ['2003 x64 caption', { osName: 'Microsoft(R) Windows(R) Server 2003 Enterprise x64 Edition' }, { ...S2003, edition: 'Enterprise', arch: 'x64' }],
    ['AD name + version', { osName: 'Windows Server 2003 Enterprise', osVersion: '5.2 (3790)' }, { ...S2003, build: 3790 }],
    ['Lansweeper Win 2003', { osName: 'Win 2003' }, S2003],
    ['SCCM NT Server 5.2', { osName: 'Microsoft Windows NT Server 5.2' }, S2003],
    ['5.2.3790 + server product type', { osVersion: '5.2.3790', productType: '3' }, { ...S2003, build: 3790 }],
    ['5.2.3790 + domain controller', { osVersion: '5.2.3790', productType: '2' }, S2003],
    ['5.2 on x86 can only be 2003', { osVersion: '5.2.3790', arch: 'X86-based PC' }, { ...S2003, arch: 'x86' }],
    ['2003 R2 only when named', { osName: 'Microsoft Windows Server 2003 R2 Standard Edition', osVersion: '5.2.3790' }, { product: 'Windows Server 2003 R2', edition: 'Standard', server: true }],
    ['systeminfo 2003 SP2', { osName: 'Microsoft(R) Windows(R) Server 2003, Standard Edition', osVersion: '5.2.3790 Service Pack 2 Build 3790' }, { ...S2003, servicePack: 2, build: 3790 }],
  ]);

  test('bare 5.2.3790 with nothing else is Server 2003 or XP x64: product unknown', () => {
    const r = normaliseOs({ osVersion: '5.2.3790' });
    expect(r).toMatchObject({ family: 'windows', product: null, ntVersion: '5.2', build: 3790, server: null });
    expect(r.notes.join('\n')).toMatch(/Windows Server 2003 or Windows XP x64/);
  });
});

describe('inventory-formats §7: Windows 2000, Vista / Server 2008', () => {
  run([
    ['Mozilla Windows_NT 5.0', { osVersion: 'Windows_NT 5.0' }, { family: 'windows', product: 'Windows 2000', ntVersion: '5.0' }],
    ['5.0.2195', { osVersion: '5.0.2195' }, { product: 'Windows 2000', ntVersion: '5.0', build: 2195 }],
    ['Windows 2000 Server caption', { osName: 'Microsoft Windows 2000 Server' }, { product: 'Windows 2000', server: true }],
    ['Windows 2000 Professional caption', { osName: 'Microsoft Windows 2000 Professional' }, { product: 'Windows 2000', server: false }],
    [
      '2008 caption with ® and trailing space',
      { osName: 'Microsoft® Windows Server® 2008 Enterprise ' },
      { product: 'Windows Server 2008', ntVersion: '6.0', server: true, edition: 'Enterprise' },
    ],
    [
      '2008 after ASCII export (? for ®)',
      { osName: 'Microsoft? Windows Server? 2008 Enterprise ', osVersion: '6.0.6002', build: '6002', servicePack: 'Service Pack 2', arch: '64-bit' },
      { product: 'Windows Server 2008', build: 6002, servicePack: 2, arch: 'x64', edition: 'Enterprise' },
    ],
    ['SCCM Advanced Server 6.0', { osName: 'Microsoft Windows NT Advanced Server 6.0' }, { product: 'Windows Server 2008', server: true }],
    ['Lansweeper Win 2008', { osName: 'Win 2008' }, { product: 'Windows Server 2008', server: true }],
    ['6.0.6002 workstation', { osVersion: '6.0.6002', productType: '1' }, { product: 'Windows Vista', servicePack: 2, build: 6002 }],
    ['Vista caption with ™', { osName: 'Microsoft® Windows Vista™ Business ' }, { product: 'Windows Vista', edition: 'Business', server: false }],
    ['Vista caption with (TM)', { osName: 'Microsoft Windows Vista (TM) Ultimate' }, { product: 'Windows Vista', edition: 'Ultimate' }],
  ]);
});

describe('inventory-formats §7: Windows 7 / Server 2008 R2 (NT 6.1)', () => {
  const W7: Expect = { family: 'windows', product: 'Windows 7', ntVersion: '6.1', server: false, release: null, editionClass: null };
  const R2: Expect = { family: 'windows', product: 'Windows Server 2008 R2', ntVersion: '6.1', server: true };
  run([
    ['Enterprise caption (trailing space)', { osName: 'Microsoft Windows 7 Enterprise ' }, { ...W7, edition: 'Enterprise' }],
    ['Professional caption (trailing space)', { osName: 'Microsoft Windows 7 Professional ' }, { ...W7, edition: 'Professional' }],
    ['AD name', { osName: 'Windows 7 Enterprise', osVersion: '6.1 (7601)' }, { ...W7, build: 7601, servicePack: 1 }],
    ['Windows 7 SP1', { osName: 'Windows 7 SP1' }, { ...W7, servicePack: 1, edition: null }],
    ['Lansweeper Win 7', { osName: 'Win 7', osVersion: '6.1.7601', servicePack: '1' }, { ...W7, servicePack: 1 }],
    ['Lansweeper Win 7 RC', { osName: 'Win 7 RC', osVersion: '6.1.7100' }, { ...W7, build: 7100, servicePack: null, edition: null }],
    ['SCCM NT Workstation 6.1', { osName: 'Microsoft Windows NT Workstation 6.1' }, W7],
    ['SCCM Tablet Edition', { osName: 'Microsoft Windows NT Workstation 6.1 (Tablet Edition)' }, W7],
    ['systeminfo', { osName: 'Microsoft Windows 7 Enterprise ', osVersion: '6.1.7601 Service Pack 1 Build 7601' }, { ...W7, build: 7601, servicePack: 1 }],
    ['RTM build 7600 is SP0', { osName: 'Windows 7 Professional', osVersion: '6.1.7600' }, { ...W7, servicePack: 0 }],
    ['2008 R2 Enterprise caption', { osName: 'Microsoft Windows Server 2008 R2 Enterprise ' }, { ...R2, edition: 'Enterprise' }],
    ['2008 R2 Datacenter caption', { osName: 'Microsoft Windows Server 2008 R2 Datacenter ', osVersion: '6.1.7601' }, { ...R2, edition: 'Datacenter', servicePack: 1 }],
    ['SCCM Advanced Server 6.1', { osName: 'Microsoft Windows NT Advanced Server 6.1' }, R2],
    ['Lansweeper Win 2008 R2', { osName: 'Win 2008 R2' }, R2],
    ['6.1.7601 + server product type', { osVersion: '6.1.7601', productType: '3' }, { ...R2, servicePack: 1 }],
    ['Embedded Standard 7 is Windows 7, with its own lifecycle', { osName: 'Windows Embedded Standard 7', osVersion: '6.1.7601' }, { ...W7, servicePack: 1, editionClass: 'embedded-standard-7' }],
  ]);
});

describe('inventory-formats §7: Windows 8 / 8.1 / RT / Server 2012 (R2)', () => {
  run([
    ['SCCM Workstation 6.2', { osName: 'Microsoft Windows NT Workstation 6.2' }, { product: 'Windows 8', ntVersion: '6.2', server: false }],
    ['SCCM Workstation 6.2 Tablet', { osName: 'Microsoft Windows NT Workstation 6.2 (Tablet Edition)' }, { product: 'Windows 8' }],
    ['Lansweeper Win 8', { osName: 'Win 8', osVersion: '6.2.9200' }, { product: 'Windows 8', build: 9200 }],
    ['2012 Standard', { osName: 'Microsoft Windows Server 2012 Standard' }, { product: 'Windows Server 2012', ntVersion: '6.2', server: true, edition: 'Standard' }],
    ['SCCM Advanced Server 6.2', { osName: 'Microsoft Windows NT Advanced Server 6.2' }, { product: 'Windows Server 2012', server: true }],
    ['Lansweeper Win 2012', { osName: 'Win 2012' }, { product: 'Windows Server 2012' }],
    ['AD 6.2 (9200) + name', { osName: 'Windows Server 2012 Datacenter', osVersion: '6.2 (9200)' }, { product: 'Windows Server 2012', build: 9200 }],
    [
      'systeminfo 8.1',
      { osName: 'Microsoft Windows 8.1 Pro', osVersion: '6.3.9600 N/A Build 9600' },
      { product: 'Windows 8.1', ntVersion: '6.3', build: 9600, edition: 'Pro', server: false, release: null, editionClass: null },
    ],
    ['SCCM Workstation 6.3', { osName: 'Microsoft Windows NT Workstation 6.3' }, { product: 'Windows 8.1' }],
    ['SCCM Workstation 6.3 Tablet', { osName: 'Microsoft Windows NT Workstation 6.3 (Tablet Edition)' }, { product: 'Windows 8.1' }],
    ['Lansweeper Win 8.1', { osName: 'Win 8.1' }, { product: 'Windows 8.1', ntVersion: '6.3' }],
    ['2012 R2 Standard', { osName: 'Microsoft Windows Server 2012 R2 Standard' }, { product: 'Windows Server 2012 R2', ntVersion: '6.3', edition: 'Standard' }],
    ['SCCM Advanced Server 6.3', { osName: 'Microsoft Windows NT Advanced Server 6.3' }, { product: 'Windows Server 2012 R2' }],
    ['SCCM NT Server 6.3', { osName: 'Microsoft Windows NT Server 6.3' }, { product: 'Windows Server 2012 R2', server: true }],
    ['Lansweeper Win 2012 R2', { osName: 'Win 2012 R2' }, { product: 'Windows Server 2012 R2' }],
    ['Windows RT', { osName: 'Windows RT', osVersion: '6.2.9200' }, { product: 'Windows RT', ntVersion: '6.2', arch: 'arm', server: false }],
    ['Windows RT 8.1', { osName: 'Windows RT 8.1' }, { product: 'Windows RT 8.1', ntVersion: '6.3', arch: 'arm' }],
    ['RT name with 6.3 version', { osName: 'Windows RT', osVersion: '6.3.9600' }, { product: 'Windows RT 8.1' }],
    ['Embedded 8.1 Industry', { osName: 'Windows Embedded 8.1 Industry Pro', osVersion: '6.3.9600' }, { product: 'Windows 8.1' }],
  ]);

  test('6.2 version with a newer name is the GetVersionEx lie: trust the name, drop the bogus build', () => {
    const r = normaliseOs({ osName: 'Windows 8.1 Pro', osVersion: '6.2.9200' });
    expect(r).toMatchObject({ product: 'Windows 8.1', ntVersion: '6.3', build: null });
    expect(r.notes.join('\n')).toMatch(/GetVersionEx/);
  });
});

describe('inventory-formats §7: Windows 10 / 11 / Server 2016+ (NT 10.0)', () => {
  run([
    ['caption Pro', { osName: 'Microsoft Windows 10 Pro', osVersion: '10.0.19045' }, { product: 'Windows 10', release: '22H2', edition: 'Pro', editionClass: 'consumer', server: false }],
    ['AD Enterprise', { osName: 'Windows 10 Enterprise', osVersion: '10.0 (19045)' }, { product: 'Windows 10', release: '22H2', build: 19045, editionClass: 'enterprise' }],
    [
      'AD LTSB 2016',
      { osName: 'Windows 10 Enterprise 2016 LTSB', osVersion: '10.0 (14393)' },
      { product: 'Windows 10', release: '1607', build: 14393, edition: 'Enterprise 2016 LTSB', editionClass: 'ltsc', server: false },
    ],
    ['IoT LTSC', { osName: 'Windows 10 IoT Enterprise LTSC', osVersion: '10.0.19044' }, { product: 'Windows 10', release: '21H2', editionClass: 'iot-ltsc' }],
    ['Lansweeper Win 10', { osName: 'Win 10', osVersion: '10.0.19045' }, { product: 'Windows 10', release: '22H2' }],
    ['Lansweeper Win 10 + old OScode', { osName: 'Win 10', osVersion: '10.0.10240' }, { product: 'Windows 10', release: '1507', build: 10240 }],
    ['SCCM Workstation 10.0 + build column', { osName: 'Microsoft Windows NT Workstation 10.0', build: '19045' }, { product: 'Windows 10', release: '22H2', server: false }],
    ['SCCM Tablet 10.0 + Build01 in version', { osName: 'Microsoft Windows NT Workstation 10.0 (Tablet Edition)', osVersion: '10.0.22631' }, { product: 'Windows 11', release: '23H2' }],
    ['bare AD version, client-only build', { osVersion: '10.0 (19045)' }, { product: 'Windows 10', release: '22H2', server: false }],
    ['bare version', { osVersion: '10.0.19045' }, { product: 'Windows 10', release: '22H2', ntVersion: '10.0', revision: null }],
    ['Intune 4-part version', { platform: 'Windows', osVersion: '10.0.19045.6036' }, { product: 'Windows 10', build: 19045, revision: 6036 }],
    [
      'French systeminfo',
      { osName: 'Microsoft Windows 10 Professionnel', osVersion: '10.0.19044 N/A build 19044' },
      { product: 'Windows 10', release: '21H2', build: 19044, edition: 'Professionnel', editionClass: 'consumer' },
    ],
    ['AD Windows 11', { osName: 'Windows 11 Pro', osVersion: '10.0 (22631)' }, { product: 'Windows 11', release: '23H2', build: 22631, editionClass: 'consumer' }],
    ['Windows 11 caption', { osName: 'Microsoft Windows 11 Pro', osVersion: '10.0.22621.3447' }, { product: 'Windows 11', release: '22H2', revision: 3447 }],
    ['Intune Windows 11 original', { platform: 'Windows', osVersion: '10.0.22000.2538' }, { product: 'Windows 11', release: '21H2' }],
    ['Intune 26100 Enterprise', { platform: 'Windows', osVersion: '10.0.26100.4349', edition: 'Enterprise' }, { product: 'Windows 11', release: '24H2', editionClass: 'enterprise', server: false }],
    [
      'Qualys Server 2016',
      { osName: 'Windows Server 2016 Datacenter 64 bit Edition Version 1607' },
      { product: 'Windows Server 2016', ntVersion: '10.0', server: true, edition: 'Datacenter', arch: 'x64', release: null, editionClass: null },
    ],
    ['Lansweeper Win 2016', { osName: 'Win 2016', osVersion: '10.0.14393' }, { product: 'Windows Server 2016', server: true, build: 14393 }],
    ['SCCM Advanced Server 10.0 + build', { osName: 'Microsoft Windows NT Advanced Server 10.0', build: '17763' }, { product: 'Windows Server 2019', server: true }],
    ['SCCM NT Server 10.0 + version', { osName: 'Microsoft Windows NT Server 10.0', osVersion: '10.0.20348' }, { product: 'Windows Server 2022' }],
    ['Server 2022 caption', { osName: 'Microsoft Windows Server 2022 Standard', osVersion: '10.0.20348.2340' }, { product: 'Windows Server 2022', edition: 'Standard', revision: 2340 }],
    ['Server 2025 caption', { osName: 'Windows Server 2025 Datacenter', osVersion: '10.0.26100.1742' }, { product: 'Windows Server 2025', server: true }],
    ['Lansweeper Win 2019 / 2022', { osName: 'Win 2022' }, { product: 'Windows Server 2022', ntVersion: '10.0' }],
    ['SAC caption with version', { osName: 'Windows Server, version 1709' }, { product: 'Windows Server', release: '1709', server: true }],
    ['yearless SAC caption + build', { osName: 'Microsoft Windows Server Datacenter', osVersion: '10.0.16299.15' }, { product: 'Windows Server', release: '1709', edition: null }],
    ['annual channel 23H2', { osName: 'Windows Server Datacenter', osVersion: '10.0.25398' }, { product: 'Windows Server', release: '23H2' }],
  ]);

  test.each([
    [{ osName: 'Microsoft Windows NT Workstation 10.0' }, false],
    [{ osName: 'Microsoft Windows NT Workstation 10.0 (Tablet Edition)' }, false],
    [{ osVersion: 'Windows_NT 10.0' }, null],
    [{ osName: 'Microsoft Windows NT Advanced Server 10.0' }, true],
  ] as [OsInput, boolean | null][])('NT 10.0 without a build (%j) fails closed: product null', (input, server) => {
    const r = normaliseOs(input);
    expect(r).toMatchObject({ family: 'windows', product: null, ntVersion: '10.0', server });
    expect(r.notes.join('\n')).toMatch(/without a build number/);
  });

  test('yearless server caption without any version: server, product unknown', () => {
    expect(normaliseOs({ osName: 'Windows Server Datacenter' })).toMatchObject({ family: 'windows', product: null, server: true });
  });
});

describe('inventory-formats §7: non-Windows pass-through', () => {
  run([
    ['Intune iOS', { platform: 'iOS', osVersion: '17.4.1' }, { family: 'other', product: 'iOS', release: '17', server: false, ntVersion: null }],
    ['Intune iPadOS', { platform: 'iPadOS', osVersion: '16.7' }, { family: 'other', product: 'iOS', release: '16' }],
    ['Intune Android', { platform: 'Android', osVersion: '14' }, { family: 'other', product: 'Android', release: '14' }],
    ['Intune Android Enterprise', { platform: 'AndroidEnterprise', osVersion: '13.0' }, { family: 'other', product: 'Android', release: '13' }],
    ['Intune macOS', { platform: 'macOS', osVersion: '14.5 (23F79)' }, { family: 'macos', product: 'macOS', release: '14', build: null }],
    ['Qualys Linux 2.x', { osName: 'Linux 2.x' }, { family: 'linux', product: null, release: null }],
    ['osquery ubuntu', { osName: 'Ubuntu', osVersion: '22.04.3 LTS (Jammy Jellyfish)', platform: 'ubuntu', arch: 'x86_64' }, { family: 'linux', product: 'Ubuntu', release: '22.04', arch: 'x64' }],
    ['osquery platform only', { platform: 'rhel', osVersion: '9.3 (Plow)' }, { family: 'linux', product: 'Red Hat Enterprise Linux', release: '9' }],
    ['osquery darwin + macOS version', { platform: 'darwin', osName: 'macOS', osVersion: '13.6.7' }, { family: 'macos', product: 'macOS', release: '13' }],
    ['Ubuntu caption', { osName: 'Ubuntu 22.04.3 LTS' }, { family: 'linux', product: 'Ubuntu', release: '22.04' }],
    ['Ubuntu 20.04', { osName: 'Ubuntu 20.04.6 LTS' }, { product: 'Ubuntu', release: '20.04' }],
    ['Debian', { osName: 'Debian GNU/Linux 12 (bookworm)' }, { family: 'linux', product: 'Debian', release: '12' }],
    ['Debian version column', { osName: 'Debian GNU/Linux', osVersion: '11.9' }, { product: 'Debian', release: '11' }],
    ['Debian codename only', { osName: 'Debian GNU/Linux buster' }, { product: 'Debian', release: '10' }],
    ['RHEL 7', { osName: 'Red Hat Enterprise Linux Server release 7.9 (Maipo)' }, { family: 'linux', product: 'Red Hat Enterprise Linux', release: '7', server: true }],
    ['RHEL 8', { osName: 'Red Hat Enterprise Linux 8.9 (Ootpa)' }, { product: 'Red Hat Enterprise Linux', release: '8' }],
    ['CentOS 7', { osName: 'CentOS Linux release 7.9.2009 (Core)' }, { family: 'linux', product: 'CentOS', release: '7' }],
    ['CentOS Stream 9', { osName: 'CentOS Stream 9' }, { product: 'CentOS', release: '9' }],
    ['Rocky', { osName: 'Rocky Linux 9.3 (Blue Onyx)' }, { family: 'linux', product: 'Rocky Linux', release: '9' }],
    ['Alma', { osName: 'AlmaLinux 8.9 (Midnight Oncilla)' }, { family: 'linux', product: 'AlmaLinux', release: '8' }],
    ['SLES caption with SP', { osName: 'SUSE Linux Enterprise Server 15 SP5' }, { family: 'linux', product: 'SUSE Linux Enterprise Server', release: '15', servicePack: 5 }],
    ['SLES short name', { osName: 'SLES 12 SP5' }, { product: 'SUSE Linux Enterprise Server', release: '12', servicePack: 5 }],
    ['SLES os-release ID and VERSION_ID', { osName: 'sles 15.4' }, { product: 'SUSE Linux Enterprise Server', release: '15', servicePack: 4 }],
    ['osquery SLES', { osName: 'SLES', osVersion: '15.6', platform: 'sles' }, { product: 'SUSE Linux Enterprise Server', release: '15', servicePack: 6 }],
    ['SLES os-release VERSION', { platform: 'sles', osVersion: '15-SP3' }, { product: 'SUSE Linux Enterprise Server', release: '15', servicePack: 3 }],
    ['SLES without a service pack leaves it open', { osName: 'SUSE Linux Enterprise Server 15' }, { product: 'SUSE Linux Enterprise Server', release: '15', servicePack: null }],
    ['SLES GA', { osName: 'SUSE Linux Enterprise Server 12 GA' }, { product: 'SUSE Linux Enterprise Server', release: '12', servicePack: 0 }],
    ['SLES for SAP is not SLES', { osName: 'SUSE Linux Enterprise Server for SAP Applications 15 SP5' }, { family: 'linux', product: null }],
    ['SLE Desktop is not SLES', { osName: 'SUSE Linux Enterprise Desktop 15 SP5' }, { family: 'linux', product: null }],
    ['openSUSE is not SLES', { osName: 'openSUSE Leap 15.5' }, { family: 'linux', product: null }],
    ['Oracle Linux Server', { osName: 'Oracle Linux Server 8.9' }, { family: 'linux', product: 'Oracle Linux', release: '8', servicePack: null }],
    ['Oracle Linux', { osName: 'Oracle Linux 7.9' }, { product: 'Oracle Linux', release: '7' }],
    ['Oracle Enterprise Linux', { osName: 'Oracle Enterprise Linux 5.11' }, { product: 'Oracle Linux', release: '5' }],
    ['osquery Oracle Linux platform', { platform: 'ol', osVersion: '9.4' }, { product: 'Oracle Linux', release: '9' }],
    ['Amazon Linux 2', { osName: 'Amazon Linux 2' }, { family: 'linux', product: 'Amazon Linux', release: '2' }],
    ['Amazon Linux 2023', { osName: 'Amazon Linux 2023' }, { product: 'Amazon Linux', release: '2023' }],
    ['Amazon Linux AMI', { osName: 'Amazon Linux AMI 2018.03' }, { product: 'Amazon Linux', release: '2018.03' }],
    ['Amazon Linux release file', { osName: 'Amazon Linux release 2 (Karoo)' }, { product: 'Amazon Linux', release: '2' }],
    ['osquery Amazon Linux 2023', { osName: 'Amazon Linux', osVersion: '2023.6.20241212', platform: 'amzn' }, { product: 'Amazon Linux', release: '2023' }],
    // A version cell of "2023" alone comes as a release (it reads like a Windows feature update).
    ['Amazon Linux with release "2023"', { osName: 'Amazon Linux', release: '2023' }, { product: 'Amazon Linux', release: '2023' }],
    ['osquery Amazon Linux 2', { osName: 'Amazon Linux', osVersion: '2.0.20230727.0', platform: 'amzn' }, { product: 'Amazon Linux', release: '2' }],
    ['Amazon Linux without a version', { osName: 'Amazon Linux' }, { product: 'Amazon Linux', release: null }],
    ['VMware ESXi (other, judged by OS-EOS)', { osName: 'VMware ESXi 7.0.3 build-21930508' }, { family: 'other', product: 'VMware ESXi', release: '7.0', server: true }],
    ['macOS 14.5', { osName: 'macOS 14.5' }, { family: 'macos', product: 'macOS', release: '14' }],
    ['Mac OS X 10.15.7', { osName: 'Mac OS X 10.15.7' }, { family: 'macos', product: 'macOS', release: '10.15' }],
    ['macOS 26 Tahoe', { osName: 'macOS 26.0' }, { product: 'macOS', release: '26' }],
    ['macOS codename', { osName: 'macOS Sonoma' }, { product: 'macOS', release: '14' }],
    ['Darwin 20 = macOS 11', { osName: 'Darwin', osVersion: '20.6.0' }, { product: 'macOS', release: '11' }],
    ['Darwin 21 = macOS 12', { platform: 'darwin', osVersion: '21.6.0' }, { product: 'macOS', release: '12' }],
    ['Darwin 22 = macOS 13', { platform: 'darwin', osVersion: '22.6.0' }, { product: 'macOS', release: '13' }],
    ['Darwin 23 = macOS 14', { platform: 'darwin', osVersion: '23.4.0' }, { product: 'macOS', release: '14' }],
    ['Darwin 24 = macOS 15', { platform: 'darwin', osVersion: '24.1.0' }, { product: 'macOS', release: '15' }],
    ['Darwin 25 = macOS 26', { platform: 'darwin', osVersion: '25.0.0' }, { product: 'macOS', release: '26' }],
    ['Darwin 19 = macOS 10.15', { osName: 'Darwin', osVersion: '19.6.0' }, { product: 'macOS', release: '10.15' }],
    ['FreeBSD', { osName: 'FreeBSD 14.0-RELEASE' }, { family: 'other', product: null }],
    ['Fedora (linux, no product)', { platform: 'fedora', osName: 'Fedora Linux', osVersion: '39' }, { family: 'linux', product: null }],
  ]);

  test('Darwin newer than any known kernel: release unknown, with a note', () => {
    const r = normaliseOs({ osName: 'Darwin', osVersion: '30.0.0' });
    expect(r).toMatchObject({ family: 'macos', product: 'macOS', release: null });
    expect(r.notes.join('\n')).toMatch(/Darwin 30/);
  });

  test('Windows CE / Mobile are not NT Windows', () => {
    expect(normaliseOs({ osName: 'Windows CE' })).toMatchObject({ family: 'other', product: null });
    expect(normaliseOs({ platform: 'Windows Mobile' })).toMatchObject({ family: 'other', product: null });
  });

  test('Windows 9x is Windows but never a product', () => {
    const r = normaliseOs({ osName: 'Windows 98 Second Edition' });
    expect(r).toMatchObject({ family: 'windows', product: null, ntVersion: null });
    expect(r.notes.join('\n')).toMatch(/not NT-based/);
  });
});

describe('windows-facts §4.1: NT major.minor rows, client and server', () => {
  const rows: [nt: string, build: string, client: Expect, server: Expect][] = [
    ['5.0', '2195', { product: 'Windows 2000' }, { product: 'Windows 2000' }],
    ['5.1', '2600', { product: 'Windows XP', server: false }, { product: 'Windows XP', server: false }],
    ['5.2', '3790', { product: 'Windows XP', arch: 'x64', server: false }, { product: 'Windows Server 2003', server: true }],
    ['6.0', '6000', { product: 'Windows Vista', servicePack: 0 }, { product: 'Windows Server 2008' }],
    ['6.0', '6001', { product: 'Windows Vista', servicePack: 1 }, { product: 'Windows Server 2008', servicePack: 1 }],
    ['6.0', '6002', { product: 'Windows Vista', servicePack: 2 }, { product: 'Windows Server 2008', servicePack: 2 }],
    ['6.0', '6003', { product: 'Windows Vista', servicePack: 2 }, { product: 'Windows Server 2008', servicePack: 2 }],
    ['6.1', '7600', { product: 'Windows 7', servicePack: 0 }, { product: 'Windows Server 2008 R2', servicePack: 0 }],
    ['6.1', '7601', { product: 'Windows 7', servicePack: 1 }, { product: 'Windows Server 2008 R2', servicePack: 1 }],
    ['6.2', '9200', { product: 'Windows 8' }, { product: 'Windows Server 2012' }],
    ['6.3', '9600', { product: 'Windows 8.1' }, { product: 'Windows Server 2012 R2' }],
  ];
  test.each(rows)('NT %s build %s', (nt, build, client, server) => {
    const c = normaliseOs({ osVersion: `${nt}.${build}`, productType: '1' });
    const s = normaliseOs({ osVersion: `${nt}.${build}`, productType: '3' });
    expect(c).toMatchObject({ family: 'windows', ntVersion: nt, build: Number(build), ...client });
    expect(s).toMatchObject({ family: 'windows', ntVersion: nt, build: Number(build), ...server });
  });

  test.each([
    ['6.0.6002', 'Windows Vista or Windows Server 2008'],
    ['6.1.7601', 'Windows 7 or Windows Server 2008 R2'],
    ['6.2.9200', 'Windows 8 or Windows Server 2012'],
    ['6.3.9600', 'Windows 8.1 or Windows Server 2012 R2'],
  ])('%s with nothing saying client or server fails closed', (v, note) => {
    const r = normaliseOs({ osVersion: v });
    expect(r).toMatchObject({ family: 'windows', product: null, server: null });
    expect(r.notes.join('\n')).toContain(note);
  });

  test('6.0.6000 is Vista even without a product type (Server 2008 RTM was 6001)', () => {
    expect(normaliseOs({ osVersion: '6.0.6000' })).toMatchObject({ product: 'Windows Vista', servicePack: 0 });
  });

  test('Server 2008 RTM 6001 is SP1 level, with a note', () => {
    const r = normaliseOs({ osName: 'Windows Server 2008 Standard', osVersion: '6.0.6001' });
    expect(r).toMatchObject({ product: 'Windows Server 2008', servicePack: 1 });
    expect(r.notes.join('\n')).toMatch(/6001.*SP1 level/);
  });

  test('unknown NT version on a Windows platform: no product', () => {
    const r = normaliseOs({ platform: 'Windows', osVersion: '6.4.9841' });
    expect(r).toMatchObject({ family: 'windows', product: null, ntVersion: null });
  });
});

describe('windows-facts §4.2: NT 10.0 builds', () => {
  const rows: [build: number, client: Expect, server: Expect, bare: Expect][] = [
    [10240, { product: 'Windows 10', release: '1507' }, { product: null }, { product: 'Windows 10', release: '1507' }],
    [10586, { product: 'Windows 10', release: '1511' }, { product: null }, { product: 'Windows 10', release: '1511' }],
    [14393, { product: 'Windows 10', release: '1607' }, { product: 'Windows Server 2016', release: null }, { product: null }],
    // A release build of one side only, on a host the product type puts on the other side: unknown, not the
    // nearest lower build of the other side's line.
    [15063, { product: 'Windows 10', release: '1703' }, { product: null }, { product: 'Windows 10', release: '1703' }],
    [16299, { product: 'Windows 10', release: '1709' }, { product: 'Windows Server', release: '1709' }, { product: null }],
    [17134, { product: 'Windows 10', release: '1803' }, { product: 'Windows Server', release: '1803' }, { product: null }],
    [17763, { product: 'Windows 10', release: '1809' }, { product: 'Windows Server 2019', release: null }, { product: null }],
    [18362, { product: 'Windows 10', release: '1903' }, { product: 'Windows Server', release: '1903' }, { product: null }],
    [18363, { product: 'Windows 10', release: '1909' }, { product: 'Windows Server', release: '1909' }, { product: null }],
    [19041, { product: 'Windows 10', release: '2004' }, { product: 'Windows Server', release: '2004' }, { product: null }],
    [19042, { product: 'Windows 10', release: '20H2' }, { product: 'Windows Server', release: '20H2' }, { product: null }],
    [19043, { product: 'Windows 10', release: '21H1' }, { product: null }, { product: 'Windows 10', release: '21H1' }],
    [19044, { product: 'Windows 10', release: '21H2' }, { product: null }, { product: 'Windows 10', release: '21H2' }],
    [19045, { product: 'Windows 10', release: '22H2' }, { product: null }, { product: 'Windows 10', release: '22H2' }],
    [20348, { product: null }, { product: 'Windows Server 2022', release: null }, { product: 'Windows Server 2022', server: true }],
    [22000, { product: 'Windows 11', release: '21H2' }, { product: null }, { product: 'Windows 11', release: '21H2', server: false }],
    [22621, { product: 'Windows 11', release: '22H2' }, { product: null }, { product: 'Windows 11', release: '22H2' }],
    [22631, { product: 'Windows 11', release: '23H2' }, { product: null }, { product: 'Windows 11', release: '23H2' }],
    [25398, { product: null }, { product: 'Windows Server', release: '23H2' }, { product: 'Windows Server', release: '23H2', server: true }],
    [26100, { product: 'Windows 11', release: '24H2' }, { product: 'Windows Server 2025', release: null }, { product: null }],
    [26200, { product: 'Windows 11', release: '25H2' }, { product: null }, { product: 'Windows 11', release: '25H2' }],
  ];
  test.each(rows)('build %d: workstation, server, and bare', (build, client, server, bare) => {
    const v = `10.0.${build}`;
    expect(normaliseOs({ osVersion: v, productType: '1' })).toMatchObject({ ntVersion: '10.0', build, server: false, ...client });
    expect(normaliseOs({ osVersion: v, productType: '3' })).toMatchObject({ ntVersion: '10.0', build, server: true, ...server });
    expect(normaliseOs({ osVersion: v })).toMatchObject({ family: 'windows', ntVersion: '10.0', build, ...bare });
  });

  test.each([
    [14393, 'Windows 10 1607', 'Windows Server 2016'],
    [17763, 'Windows 10 1809', 'Windows Server 2019'],
    [26100, 'Windows 11 24H2', 'Windows Server 2025'],
    [16299, 'Windows 10 1709', 'Windows Server, version 1709'],
  ])('build %d on both lines with nothing to tell: product null and an explaining note', (build, c, s) => {
    const r = normaliseOs({ osVersion: `10.0.${build}` });
    expect(r).toMatchObject({ product: null, server: null, release: null });
    expect(r.notes).toContain(`build ${build} is both ${c} and ${s}; no name or product type says which`);
  });

  test('26100 client = Windows 11 24H2, 26100 server = Windows Server 2025 (by name)', () => {
    expect(normaliseOs({ osName: 'Windows 11 Enterprise', osVersion: '10.0.26100' })).toMatchObject({ product: 'Windows 11', release: '24H2' });
    expect(normaliseOs({ osName: 'Windows Server 2025 Standard', osVersion: '10.0.26100' })).toMatchObject({ product: 'Windows Server 2025', release: null });
  });

  test('26300 = Windows 11 26H2, 28000 = 26H1 (new devices only)', () => {
    expect(normaliseOs({ osName: 'Windows 11 Pro', osVersion: '10.0.26300.9457' })).toMatchObject({ product: 'Windows 11', release: '26H2', build: 26300, notes: [] });
    expect(normaliseOs({ osName: 'Windows 11 Pro', osVersion: '10.0.28000.1000' })).toMatchObject({ product: 'Windows 11', release: '26H1', build: 28000 });
  });

  test('build newer than any known Windows 11 build: nearest lower release with a note', () => {
    const r = normaliseOs({ osName: 'Windows 11 Pro', osVersion: '10.0.29000' });
    expect(r).toMatchObject({ product: 'Windows 11', release: '26H1', build: 29000 });
    expect(r.notes).toContain('build 29000 is newer than any known build; treated as Windows 11 26H1');
  });

  test('build newer than any known Windows 10 build stays Windows 10 below 22000', () => {
    const r = normaliseOs({ osName: 'Windows 10 Pro', osVersion: '10.0.19046' });
    expect(r).toMatchObject({ product: 'Windows 10', release: '22H2' });
    expect(r.notes.join('\n')).toMatch(/build 19046 is newer than any known build; treated as Windows 10 22H2/);
  });

  test('build between known builds: nearest lower, with a note (wes.py approach)', () => {
    const r = normaliseOs({ osName: 'Windows 10 Enterprise', osVersion: '10.0.15000' });
    expect(r).toMatchObject({ product: 'Windows 10', release: '1607' });
    expect(r.notes.join('\n')).toMatch(/build 15000 is not a known release build; treated as Windows 10 1607 \(nearest lower known build 14393\)/);
  });

  test('build below Windows 10 RTM: Windows 10 with release unknown', () => {
    const r = normaliseOs({ osName: 'Windows 10 Pro Technical Preview', osVersion: '10.0.9926' });
    expect(r).toMatchObject({ product: 'Windows 10', release: null, build: 9926 });
    expect(r.notes.join('\n')).toMatch(/older than Windows 10 version 1507/);
  });

  test('server build newer than Server 2025: 2025 with a note', () => {
    const r = normaliseOs({ osName: 'Windows Server Datacenter', osVersion: '10.0.27000' });
    expect(r).toMatchObject({ product: 'Windows Server 2025', server: true });
    expect(r.notes.join('\n')).toMatch(/build 27000 is newer than any known build; treated as Windows Server 2025/);
  });

  test('server build older than Server 2016: product unknown', () => {
    const r = normaliseOs({ osName: 'Windows Server 2016 Technical Preview 4', osVersion: '10.0.10586' });
    expect(r).toMatchObject({ product: null, server: true });
  });

  test('unknown build with nothing saying client or server: product unknown', () => {
    const r = normaliseOs({ platform: 'Windows', osVersion: '10.0.21000' });
    expect(r).toMatchObject({ product: null });
    expect(r.notes.join('\n')).toMatch(/not a known build/);
  });

  test('caption "Windows 10" with build >= 22000 is Windows 11 (its registry ProductName still says Windows 10)', () => {
    const a = normaliseOs({ osName: 'Microsoft Windows 10 Pro', osVersion: '10.0.22631' });
    expect(a).toMatchObject({ product: 'Windows 11', release: '23H2' });
    expect(a.notes.join('\n')).toMatch(/name says Windows 10 but build 22631 is Windows 11; trusted the build \(Windows 11 still calls itself "Windows 10" in its registry ProductName/);
  });

  test('caption "Windows 11" with a Windows 10 build: no such quirk, the host is in conflict (unknown)', () => {
    const b = normaliseOs({ osName: 'Windows 11 Pro', osVersion: '10.0.19045' });
    expect(b).toMatchObject({ family: 'windows', product: null, release: null });
    expect(b.notes.join('\n')).toMatch(/name says Windows 11 but build 19045 is Windows 10 22H2: the name and the numbers name different Windows products, so the product is unknown/);
  });

  test('server name year contradicting the build: unknown, quoting both', () => {
    const r = normaliseOs({ osName: 'Windows Server 2016 Standard', osVersion: '10.0.17763' });
    expect(r).toMatchObject({ product: null, release: null });
    expect(r.notes.join('\n')).toMatch(/name says Windows Server 2016 but build 17763 is Windows Server 2019: .*product is unknown/);
  });

  test('server name without a year: the build says which Windows Server', () => {
    const r = normaliseOs({ osName: 'Microsoft Windows Server Datacenter', osVersion: '10.0.20348.2527' });
    expect(r).toMatchObject({ product: 'Windows Server 2022', server: true, build: 20348 });
  });
});

describe('brief examples', () => {
  test('Windows 7 Enterprise systeminfo', () => {
    expect(normaliseOs({ osName: 'Microsoft Windows 7 Enterprise ', osVersion: '6.1.7601 Service Pack 1 Build 7601' })).toEqual({
      raw: 'Microsoft Windows 7 Enterprise  | 6.1.7601 Service Pack 1 Build 7601',
      family: 'windows',
      product: 'Windows 7',
      release: null,
      edition: 'Enterprise',
      editionClass: null,
      ntVersion: '6.1',
      build: 7601,
      revision: null,
      servicePack: 1,
      server: false,
      arch: null,
      notes: [],
    });
  });

  test('Windows 10 Enterprise 10.0.14393.447', () => {
    expect(normaliseOs({ osName: 'Windows 10 Enterprise', osVersion: '10.0.14393.447' })).toMatchObject({
      family: 'windows',
      product: 'Windows 10',
      release: '1607',
      editionClass: 'enterprise',
      ntVersion: '10.0',
      build: 14393,
      revision: 447,
      server: false,
    });
  });

  test('Intune: platform Windows, 10.0.22631.3447, Professional', () => {
    const r = normaliseOs({ platform: 'Windows', osVersion: '10.0.22631.3447', edition: 'Professional' });
    expect(r).toMatchObject({
      family: 'windows',
      product: 'Windows 11',
      release: '23H2',
      edition: 'Professional',
      editionClass: 'consumer',
      build: 22631,
      revision: 3447,
      server: false,
    });
    expect(r.raw).toBe('10.0.22631.3447 | Professional | Windows');
  });

  test('Intune: SkuFamily Enterprise on an ambiguous build says client on NT 10.0', () => {
    expect(normaliseOs({ platform: 'Windows', osVersion: '10.0.14393.5000', edition: 'Enterprise' })).toMatchObject({
      product: 'Windows 10',
      release: '1607',
      editionClass: 'enterprise',
    });
  });
});

describe('edition class (Windows 10/11 only)', () => {
  const rows: [string, OsInput, OsInfo['editionClass']][] = [
    ['Enterprise LTSC', { osName: 'Windows 10 Enterprise LTSC' }, 'ltsc'],
    ['Enterprise 2015 LTSB', { osName: 'Windows 10 Enterprise 2015 LTSB' }, 'ltsc'],
    ['Enterprise LTSC 2019', { osName: 'Windows 10 Enterprise LTSC 2019' }, 'ltsc'],
    ['Windows 11 Enterprise LTSC 2024', { osName: 'Windows 11 Enterprise LTSC 2024', osVersion: '10.0.26100' }, 'ltsc'],
    ['IoT Enterprise LTSC 2021', { osName: 'Windows 10 IoT Enterprise LTSC 2021' }, 'iot-ltsc'],
    ['IoT Enterprise LTSB 2016', { osName: 'Windows 10 IoT Enterprise 2016 LTSB' }, 'iot-ltsc'],
    ['IoT Enterprise (not LTSC)', { osName: 'Windows 10 IoT Enterprise' }, 'enterprise'],
    ['Enterprise N', { osName: 'Windows 10 Enterprise N' }, 'enterprise'],
    ['Enterprise multi-session', { osName: 'Windows 11 Enterprise multi-session', osVersion: '10.0.22631' }, 'enterprise'],
    ['Education', { osName: 'Windows 10 Education' }, 'enterprise'],
    ['Pro Education', { osName: 'Windows 10 Pro Education' }, 'consumer'],
    ['Pro for Workstations', { osName: 'Windows 10 Pro for Workstations' }, 'consumer'],
    ['Pro N', { osName: 'Windows 10 Pro N' }, 'consumer'],
    ['Home', { osName: 'Windows 10 Home' }, 'consumer'],
    ['Home Single Language', { osName: 'Windows 10 Home Single Language' }, 'consumer'],
    ['Windows 11 SE', { osName: 'Windows 11 SE', osVersion: '10.0.22621' }, 'consumer'],
    ['no edition', { osName: 'Windows 10' }, null],
    ['SkuFamily Enterprise', { platform: 'Windows', osVersion: '10.0.19045', edition: 'Enterprise' }, 'enterprise'],
    ['SkuFamily Professional', { platform: 'Windows', osVersion: '10.0.19045', edition: 'Professional' }, 'consumer'],
    ['SkuFamily Education', { platform: 'Windows', osVersion: '10.0.19045', edition: 'Education' }, 'enterprise'],
    ['SkuFamily Home', { platform: 'Windows', osVersion: '10.0.19045', edition: 'Home' }, 'consumer'],
    ['SkuFamily Core', { platform: 'Windows', osVersion: '10.0.19045', edition: 'Core' }, 'consumer'],
    ['edition column LTSC', { osName: 'Windows 10', osVersion: '10.0.17763', edition: 'Enterprise LTSC' }, 'ltsc'],
    ['zh 企业版', { osName: 'Microsoft Windows 10 企业版', osVersion: '10.0.19045' }, 'enterprise'],
    ['zh 专业版', { osName: 'Microsoft Windows 10 专业版', osVersion: '10.0.19045' }, 'consumer'],
    ['zh 家庭中文版', { osName: 'Microsoft Windows 10 家庭中文版', osVersion: '10.0.19045' }, 'consumer'],
    ['zh 教育版', { osName: 'Microsoft Windows 11 教育版', osVersion: '10.0.22631' }, 'enterprise'],
    ['zh 企业版 LTSC', { osName: 'Microsoft Windows 10 企业版 LTSC', osVersion: '10.0.17763' }, 'ltsc'],
    ['fr Entreprise', { osName: 'Microsoft Windows 10 Entreprise', osVersion: '10.0.19045' }, 'enterprise'],
    ['fr Professionnel', { osName: 'Microsoft Windows 10 Professionnel', osVersion: '10.0.19045' }, 'consumer'],
    ['fr Famille', { osName: 'Microsoft Windows 10 Famille', osVersion: '10.0.19045' }, 'consumer'],
    ['fr Éducation', { osName: 'Microsoft Windows 10 Éducation', osVersion: '10.0.19045' }, 'enterprise'],
    ['ru Профессиональная', { osName: 'Майкрософт Windows 10 Профессиональная', osVersion: '10.0.19045' }, 'consumer'],
    ['ru Корпоративная', { osName: 'Майкрософт Windows 10 Корпоративная', osVersion: '10.0.19045' }, 'enterprise'],
    ['ru Домашняя', { osName: 'Майкрософт Windows 10 Домашняя', osVersion: '10.0.19045' }, 'consumer'],
    ['de Pro', { osName: 'Microsoft Windows 10 Pro', osVersion: '10.0.19045' }, 'consumer'],
    // Pro Education is in the Home/Pro servicing group (windows-facts.md §2.2), in every language.
    ['fr Professionnel Éducation', { osName: 'Microsoft Windows 11 Professionnel Éducation', osVersion: '10.0.26100.4349' }, 'consumer'],
    ['ru Pro для образовательных учреждений', { osName: 'Майкрософт Windows 11 Pro для образовательных учреждений', osVersion: '10.0.26100' }, 'consumer'],
    ['ru для образовательных учреждений (Education)', { osName: 'Майкрософт Windows 10 для образовательных учреждений', osVersion: '10.0.19044' }, 'enterprise'],
    ['zh 专业教育版', { osName: 'Microsoft Windows 10 专业教育版', osVersion: '10.0.19044' }, 'consumer'],
    ['zh-TW 專業教育版', { osName: 'Microsoft Windows 10 專業教育版', osVersion: '10.0.19044' }, 'consumer'],
    ['es Pro para Workstations', { osName: 'Microsoft Windows 10 Pro para Workstations', osVersion: '10.0.19044' }, 'consumer'],
    ['Romance Pro spelling with Education', { osName: 'Microsoft Windows 10 Profesional Educación', osVersion: '10.0.19044' }, 'consumer'],
    ['it Professionale with Education', { osName: 'Microsoft Windows 10 Professionale Education', osVersion: '10.0.19044' }, 'consumer'],
    ['SkuFamily ProfessionalEducationN', { platform: 'Windows', osVersion: '10.0.19045', edition: 'ProfessionalEducationN' }, 'consumer'],
    ['SkuFamily EducationN', { platform: 'Windows', osVersion: '10.0.19045', edition: 'EducationN' }, 'enterprise'],
    ['SkuFamily IoTEnterprise', { platform: 'Windows', osVersion: '10.0.19045', edition: 'IoTEnterprise' }, 'enterprise'],
    ['Education N with arch and version', { osName: 'Microsoft Windows 10 Education N 64-bit Edition Version 22H2' }, 'enterprise'],
    ['caption Education, edition cell Pro Education', { osName: 'Windows 10 Education', osVersion: '10.0.19044', edition: 'Pro Education' }, 'consumer'],
    // Fail closed: words of both groups, or an unknown word beside Education, leave the group open.
    ['caption Enterprise, edition cell Professional', { osName: 'Windows 10 Enterprise', osVersion: '10.0.19044', edition: 'Professional' }, null],
    ['Home and Education together', { osName: 'Windows 10 Home Education', osVersion: '10.0.19044' }, null],
    ['an unknown word beside Education', { osName: 'Microsoft Windows 11 Profi Education', osVersion: '10.0.26100' }, null],
    ['Windows 7 Enterprise is not classed', { osName: 'Microsoft Windows 7 Enterprise', osVersion: '6.1.7601' }, null],
    ['Server 2019 is not classed', { osName: 'Windows Server 2019 Datacenter', osVersion: '10.0.17763' }, null],
  ];
  test.each(rows)('%s', (_l, input, cls) => {
    expect(normaliseOs(input).editionClass).toBe(cls);
  });

  test('an edition that cannot be placed says why in the notes', () => {
    expect(normaliseOs({ osName: 'Windows 10 Enterprise', osVersion: '10.0.19044', edition: 'Professional' }).notes.join('\n')).toMatch(/both a Home\/Pro and an Enterprise\/Education edition/);
    expect(normaliseOs({ osName: 'Microsoft Windows 11 Profi Education', osVersion: '10.0.26100' }).notes.join('\n')).toMatch(/words besides Education that are not known/);
  });

  test('LTSB/LTSC year gives the release when there is no build', () => {
    expect(normaliseOs({ osName: 'Windows 10 Enterprise 2015 LTSB' }).release).toBe('1507');
    expect(normaliseOs({ osName: 'Windows 10 Enterprise 2016 LTSB' }).release).toBe('1607');
    expect(normaliseOs({ osName: 'Windows 10 Enterprise LTSC 2019' }).release).toBe('1809');
    expect(normaliseOs({ osName: 'Windows 10 IoT Enterprise LTSC 2021' }).release).toBe('21H2');
    expect(normaliseOs({ osName: 'Windows 11 IoT Enterprise LTSC 2024' })).toMatchObject({ product: 'Windows 11', release: '24H2', editionClass: 'iot-ltsc' });
  });
});

describe('localised captions', () => {
  run([
    ['zh Windows 7 企业版', { osName: 'Microsoft Windows 7 企业版', osVersion: '6.1.7601 Service Pack 1 Build 7601' }, { product: 'Windows 7', edition: '企业版', servicePack: 1 }],
    ['zh Server 2008 R2 企业版', { osName: 'Microsoft Windows Server 2008 R2 企业版', osVersion: '6.1.7600' }, { product: 'Windows Server 2008 R2', servicePack: 0, server: true }],
    ['fr XP Professionnel', { osName: 'Microsoft Windows XP Professionnel', osVersion: '5.1.2600 Service Pack 3 Build 2600' }, { product: 'Windows XP', edition: 'Professionnel', servicePack: 3 }],
    ['fr Windows 7 Édition Familiale Premium', { osName: 'Microsoft Windows 7 Édition Familiale Premium ' }, { product: 'Windows 7', edition: 'Édition Familiale Premium' }],
    ['de systeminfo "Nicht verfügbar"', { osName: 'Microsoft Windows 10 Pro', osVersion: '10.0.19045 Nicht verfügbar Build 19045' }, { product: 'Windows 10', release: '22H2', build: 19045 }],
    ['es systeminfo "compilación"', { osName: 'Microsoft Windows 10 Pro', osVersion: '10.0.19045 N/D compilación 19045' }, { product: 'Windows 10', build: 19045 }],
    ['ru Server 2012 R2', { osName: 'Майкрософт Windows Server 2012 R2 Стандарт', osVersion: '6.3.9600' }, { product: 'Windows Server 2012 R2', edition: 'Стандарт', server: true }],
    ['zh systeminfo 暂缺', { osName: 'Microsoft Windows 10 专业版', osVersion: '10.0.19045 暂缺 Build 19045' }, { product: 'Windows 10', build: 19045, editionClass: 'consumer' }],
    ['full-width digits (NFKC)', { osName: 'Microsoft Windows １０ Pro', osVersion: '１０.０.１９０４５' }, { product: 'Windows 10', build: 19045 }],
    ['ASCII export lost the CJK edition', { osName: 'Microsoft Windows 7 ???', osVersion: '6.1.7601' }, { product: 'Windows 7', edition: null }],
  ]);
});

describe('service pack', () => {
  run([
    ['"Service Pack 3" column', { osName: 'Windows XP', servicePack: 'Service Pack 3' }, { servicePack: 3 }],
    ['"3" column', { osName: 'Windows XP', servicePack: '3' }, { servicePack: 3 }],
    ['"SP3" column', { osName: 'Windows XP', servicePack: 'SP3' }, { servicePack: 3 }],
    ['"SP 2" column', { osName: 'Windows XP', servicePack: 'SP 2' }, { servicePack: 2 }],
    ['"0" column', { osName: 'Windows XP', servicePack: '0' }, { servicePack: 0 }],
    ['"3.0" (major.minor) column', { osName: 'Windows XP', servicePack: '3.0' }, { servicePack: 3 }],
    ['CSDVersion with build suffix', { osName: 'Windows XP', servicePack: 'Service Pack 2, v.3264' }, { servicePack: 2 }],
    ['no SP info on XP stays null', { osName: 'Windows XP', osVersion: '5.1.2600' }, { servicePack: null }],
    ['XP build does not imply an SP', { osVersion: '5.1.2600' }, { servicePack: null }],
    ['2003 build does not imply an SP', { osName: 'Windows Server 2003', osVersion: '5.2.3790' }, { servicePack: null }],
    ['Vista 6000 -> SP0', { osName: 'Windows Vista', osVersion: '6.0.6000' }, { servicePack: 0 }],
    ['Vista 6001 -> SP1', { osName: 'Windows Vista', osVersion: '6.0.6001' }, { servicePack: 1 }],
    ['Vista 6002 -> SP2', { osName: 'Windows Vista', osVersion: '6.0.6002' }, { servicePack: 2 }],
    ['2008 6003 -> SP2', { osName: 'Windows Server 2008', osVersion: '6.0.6003' }, { servicePack: 2 }],
    ['Windows 10 with SP column 0', { osName: 'Windows 10 Pro', osVersion: '10.0.19045', servicePack: '0' }, { servicePack: 0 }],
    ['Windows 10 without SP info', { osName: 'Windows 10 Pro', osVersion: '10.0.19045' }, { servicePack: null }],
  ]);

  test('explicit SP lower than the build: the build wins, with a note', () => {
    const r = normaliseOs({ osName: 'Windows 7 Professional', osVersion: '6.1.7601', servicePack: 'Service Pack 0' });
    expect(r.servicePack).toBe(1);
    expect(r.notes.join('\n')).toMatch(/build 7601 means service pack 1/);
  });

  test('explicit SP higher than the build: the explicit string wins', () => {
    const r = normaliseOs({ osName: 'Windows Vista Business', osVersion: '6.0.6001', servicePack: 'Service Pack 2' });
    expect(r.servicePack).toBe(2);
  });
});

describe('build and revision', () => {
  run([
    ['version 4 parts', { osName: 'Windows 10', osVersion: '10.0.14393.447' }, { build: 14393, revision: 447 }],
    ['separate columns win', { osName: 'Windows 10', osVersion: '10.0.19044.100', build: '19045', revision: '4291' }, { build: 19045, revision: 4291, release: '22H2' }],
    ['build column "19045.4291"', { platform: 'Windows', build: '19045.4291' }, { product: 'Windows 10', build: 19045, revision: 4291, ntVersion: '10.0' }],
    ['build column as full version (SCCM Build01)', { osName: 'Windows 10 Pro', build: '10.0.19045' }, { build: 19045, release: '22H2' }],
    ['build column 7601 with name only', { osName: 'Windows 7 Professional', build: '7601' }, { build: 7601, servicePack: 1, ntVersion: '6.1' }],
    ['revision without build is dropped', { osName: 'Windows 10 Pro', revision: '4291' }, { build: null, revision: null }],
    ['absurd build is not a number', { osName: 'Windows 10 Pro', build: '99999999999' }, { build: null }],
  ]);
});

describe('build and revision as tools write them, without the NT version', () => {
  const W10 = { product: 'Windows 10', ntVersion: '10.0', build: 19045, revision: 5131, release: '22H2' };
  run([
    ['bare "19045.5131" in the version cell', { osName: 'Microsoft Windows 10 Enterprise', osVersion: '19045.5131' }, W10],
    ['"Build 19045.5131"', { osName: 'Microsoft Windows 10 Enterprise', osVersion: 'Build 19045.5131' }, W10],
    ['"OS Build 19045.5131" (winver, update history)', { osName: 'Microsoft Windows 10 Enterprise', osVersion: 'OS Build 19045.5131' }, W10],
    ['"Version 22H2 (OS Build 19045.5131)"', { osName: 'Microsoft Windows 10 Enterprise', osVersion: 'Version 22H2 (OS Build 19045.5131)' }, W10],
    ['"10.0.19045 Build 19045.5131"', { osName: 'Microsoft Windows 10 Enterprise', osVersion: '10.0.19045 Build 19045.5131' }, W10],
    ['Qualys name "… Version 22H2 Build 19045.5131"', { osName: 'Windows 10 Enterprise 64 bit Edition Version 22H2 Build 19045.5131' }, W10],
    ['Qualys name on Server 2016', { osName: 'Windows Server 2016 Datacenter 64 bit Edition Version 1607 Build 14393.7428' }, { product: 'Windows Server 2016', build: 14393, revision: 7428 }],
    ['name with the NT version and "Build B.R"', { osName: 'Microsoft Windows 10 Enterprise 10.0.19045 Build 19045.5131' }, W10],
    ['bare "14393.7428" with an LTSB name', { osName: 'Microsoft Windows 10 Enterprise 2016 LTSB', osVersion: '14393.7428' }, { product: 'Windows 10', build: 14393, revision: 7428, release: '1607' }],
    ['bare "19045.5131" without a name', { osVersion: '19045.5131' }, W10],
    // 18363 is also Windows Server, version 1909: without a name, client or server stays open.
    ['bare "18363.1556" without a name', { osVersion: '18363.1556' }, { product: null, build: 18363, revision: 1556 }],
    ['UBR column repeating the build', { osName: 'Microsoft Windows 10 Enterprise', osVersion: '10.0.19045', revision: '19045.5131' }, W10],
    // A revision that names another build cannot belong to this one.
    ['UBR column of another build', { osName: 'Microsoft Windows 10 Enterprise', osVersion: '10.0.18363', revision: '19045.5131' }, { build: 18363, revision: null }],
    // Two builds in one cell: which one the machine runs is not known, so neither is used (nor its release).
    ['"Build B.R" of another build than the version', { osName: 'Microsoft Windows 10 Enterprise', osVersion: '10.0.18363 Build 19045.5131' }, { product: 'Windows 10', build: null, revision: null, release: null }],
    ['"Build B" of another build than the version', { osName: 'Microsoft Windows 10 Enterprise', osVersion: '10.0.19045 Build 19044' }, { product: 'Windows 10', build: null, revision: null, release: null }],
    // The build column wins over the version's build: the version's revision is of that other build.
    ['build column other than "Build B.R"', { osName: 'Microsoft Windows 10 Enterprise', osVersion: 'Build 17763.1000', build: '18363' }, { build: 18363, revision: null }],
    ['build column other than "10.0.B.R"', { osName: 'Microsoft Windows 10 Enterprise', osVersion: '10.0.17763.1000', build: '18363' }, { build: 18363, revision: null }],
    ['build column repeating the version\'s build', { osName: 'Microsoft Windows 10 Enterprise', osVersion: '10.0.19045.5131', build: '19045' }, W10],
    ['Tenable name with the build only', { osName: 'Microsoft Windows 10 Enterprise Build 19045' }, { ...W10, revision: null }],
    ['Windows 7 "Build 7601.24545" is read, not as a Windows 10 revision', { osName: 'Microsoft Windows 7 Enterprise', osVersion: 'Build 7601.24545' }, { product: 'Windows 7', ntVersion: '6.1', build: 7601, servicePack: 1, revision: null }],
    // NT 6.1 and earlier keep no UBR: the fourth part is a file version, never an update level.
    ['Server 2008 R2 "6.1.7601.24545"', { osName: 'Microsoft Windows Server 2008 R2 Enterprise', osVersion: '6.1.7601.24545' }, { product: 'Windows Server 2008 R2', build: 7601, servicePack: 1, revision: null }],
    ['Server 2008 "6.0.6003.21481"', { osName: 'Microsoft Windows Server 2008 Standard', osVersion: '6.0.6003.21481' }, { product: 'Windows Server 2008', build: 6003, revision: null }],
    ['Windows 7 with a UBR column', { osName: 'Microsoft Windows 7 Professional', osVersion: '6.1.7601', revision: '24545' }, { product: 'Windows 7', build: 7601, revision: null }],
    ['Server 2012 R2 keeps its UBR', { osName: 'Microsoft Windows Server 2012 R2 Standard', osVersion: '6.3.9600.20778' }, { product: 'Windows Server 2012 R2', build: 9600, revision: 20778 }],
    // A Windows 7 build beside a Windows 10 name: two products, unknown.
    ['"Build 7601.24545" beside a Windows 10 name', { osName: 'Microsoft Windows 10 Enterprise', osVersion: 'Build 7601.24545' }, { product: null, revision: null }],
    // Not a Windows build: no version is read from it.
    ['an agent version "2204.1" is no build', { osName: 'Microsoft Windows 10 Enterprise', osVersion: '2204.1' }, { product: 'Windows 10', build: null, revision: null }],
  ]);

  test('two builds in the version cell: neither is used, with a note', () => {
    const r = normaliseOs({ osName: 'Microsoft Windows 10 Enterprise', osVersion: '10.0.19045 Build 19044.1234' });
    expect(r.build).toBeNull();
    expect(r.notes.join('\n')).toMatch(/version "10\.0\.19045 Build 19044\.1234" names two builds \(19045 and 19044\); neither is used/);
    // systeminfo's own form names one build twice: read as usual.
    expect(normaliseOs({ osName: 'Microsoft Windows 10 Enterprise', osVersion: '10.0.19045 N/A Build 19045' }).build).toBe(19045);
  });

  test('build column differing from the version: column wins, with a note', () => {
    const r = normaliseOs({ osName: 'Windows 10', osVersion: '10.0.19044', build: '19045' });
    expect(r.build).toBe(19045);
    expect(r.notes.join('\n')).toMatch(/build column 19045 differs from version build 19044/);
  });

  const NA = ['N/A', '暂缺', 'Н/Д', 'N/D', 'n/v', 'Nicht verfügbar', 'Non disponible', 'No disponible', 'Não Disponível', 'Niet beschikbaar', '-', '', '  '];
  test.each(NA)('N/A value %j is treated as absent', (na) => {
    const r = normaliseOs({
      osName: 'Windows 7 Professional',
      osVersion: '6.1.7601',
      build: na,
      revision: na,
      release: na,
      edition: na,
      servicePack: na,
      arch: na,
      productType: na,
      platform: na,
    });
    expect(r).toMatchObject({ product: 'Windows 7', build: 7601, revision: null, release: null, servicePack: 1, arch: null, edition: 'Professional', server: false });
    expect(r.notes).toEqual([]);
  });

  test('an N/A version alone is unknown', () => {
    expect(normaliseOs({ osVersion: 'N/A' })).toMatchObject({ family: 'unknown', product: null, raw: 'N/A' });
  });
});

describe('release column', () => {
  run([
    ['22H2 with no build', { osName: 'Windows 10 Pro', release: '22H2' }, { release: '22H2' }],
    ['lower-case 21h2', { osName: 'Windows 10 Pro', release: '21h2' }, { release: '21H2' }],
    // ReleaseId stayed 2009 from 20H2 on (21H1, 21H2, 22H2 too; DisplayVersion names the release).
    ['ReleaseId 2009 alone leaves the release open', { osName: 'Windows 10 Pro', release: '2009' }, { product: 'Windows 10', release: null, build: null }],
    ['ReleaseId 2009 with build 19045 is 22H2', { osName: 'Windows 10 Pro', release: '2009', build: '19045' }, { release: '22H2', build: 19045 }],
    ['ReleaseId 2009 with build 19042 is 20H2', { osName: 'Windows 10 Pro', release: '2009', build: '19042' }, { release: '20H2', build: 19042 }],
    ['ReleaseId 2009 on Windows 11 leaves the release open', { osName: 'Windows 11 Pro', release: '2009' }, { product: 'Windows 11', release: null }],
    ['"Version 2009" in the caption leaves the release open', { osName: 'Windows 10 Enterprise 64 bit Edition Version 2009' }, { product: 'Windows 10', release: null, build: null }],
    ['ReleaseId 2009 on a server without a build: product open', { osName: 'Windows Server Standard', release: '2009' }, { product: null, server: true }],
    ['DisplayVersion 22H2 still names the release', { osName: 'Windows 10 Pro', release: '22H2' }, { release: '22H2', build: 19045 }],
    ['1607', { osName: 'Windows 10 Enterprise', release: '1607' }, { release: '1607' }],
    ['"Version 21H1"', { osName: 'Windows 10 Enterprise', release: 'Version 21H1' }, { release: '21H1' }],
    ['Qualys caption Version 1809', { osName: 'Windows 10 Enterprise 64 bit Edition Version 1809' }, { release: '1809', arch: 'x64' }],
    ['Windows 11 release', { osName: 'Windows 11 Pro', release: '23H2' }, { product: 'Windows 11', release: '23H2' }],
    ['Windows 7 has no release', { osName: 'Windows 7 Enterprise', release: '1607' }, { release: null }],
    ['server LTSC has no release', { osName: 'Windows Server 2016 Standard', osVersion: '10.0.14393', release: '1607' }, { release: null }],
  ]);

  test('release that does not exist for the product is ignored with a note', () => {
    const r = normaliseOs({ osName: 'Windows 11 Pro', release: '1607' });
    expect(r.release).toBeNull();
    expect(r.notes.join('\n')).toMatch(/1607 is not a known Windows 11 release/);
  });

  test('release column contradicting the build: the build wins, with a note', () => {
    const r = normaliseOs({ osName: 'Windows 10 Pro', osVersion: '10.0.19045', release: '21H2' });
    expect(r.release).toBe('22H2');
    expect(r.notes.join('\n')).toMatch(/release 21H2 given but build 19045 is 22H2; trusted the build/);
  });
});

describe('arch', () => {
  const rows: [string, OsInfo['arch']][] = [
    ['64-bit', 'x64'],
    ['32-bit', 'x86'],
    ['AMD64', 'x64'],
    ['x86', 'x86'],
    ['x64-based PC', 'x64'],
    ['X86-based PC', 'x86'],
    ['ARM64', 'arm64'],
    ['ARM64-based PC', 'arm64'],
    ['ARM 64-bit Processor', 'arm64'],
    ['Itanium', 'ia64'],
    ['Itanium-based System', 'ia64'],
    ['IA64', 'ia64'],
    ['64 位', 'x64'],
    ['64 bits', 'x64'],
    ['64-разрядная', 'x64'],
    ['x86_64', 'x64'],
    ['aarch64', 'arm64'],
    ['i686', 'x86'],
    ['armv7l', 'arm'],
    ['banana', null],
  ];
  test.each(rows)('%j -> %s', (arch, expected) => {
    expect(normaliseOs({ osName: 'Windows 10 Pro', osVersion: '10.0.19045', arch }).arch).toBe(expected);
  });
});

describe('client vs server', () => {
  const rows: [string, OsInput, boolean | null, string | null][] = [
    ['product type 1', { osVersion: '6.1.7601', productType: '1' }, false, 'Windows 7'],
    ['product type 2 (DC)', { osVersion: '6.1.7601', productType: '2' }, true, 'Windows Server 2008 R2'],
    ['product type 3', { osVersion: '6.1.7601', productType: '3' }, true, 'Windows Server 2008 R2'],
    ['word Workstation', { osVersion: '6.3.9600', productType: 'Workstation' }, false, 'Windows 8.1'],
    ['word Server', { osVersion: '6.3.9600', productType: 'Server' }, true, 'Windows Server 2012 R2'],
    ['word Domain Controller', { osVersion: '6.3.9600', productType: 'Domain Controller' }, true, 'Windows Server 2012 R2'],
    ['edition Datacenter', { osVersion: '10.0.17763', edition: 'Datacenter' }, true, 'Windows Server 2019'],
    ['edition Professional', { osVersion: '10.0.17763', edition: 'Professional' }, false, 'Windows 10'],
    ['caption Datacenter without "Server"', { osName: 'Windows Datacenter', osVersion: '10.0.20348' }, true, 'Windows Server 2022'],
    ['nothing', { osVersion: '6.2.9200' }, null, null],
  ];
  test.each(rows)('%s', (_l, input, server, product) => {
    expect(normaliseOs(input)).toMatchObject({ server, product });
  });

  test('product type and caption disagree: treated as unknown (fail closed on shared builds)', () => {
    const r = normaliseOs({ osName: 'Windows 10 Enterprise', osVersion: '10.0.14393', productType: '3' });
    expect(r).toMatchObject({ product: null, server: null });
    expect(r.notes.join('\n')).toMatch(/product type says server, name says workstation; treated as unknown/);
  });

  test('product type and caption disagree on a client-only build: the build decides', () => {
    expect(normaliseOs({ osName: 'Windows 10 Pro', osVersion: '10.0.19045', productType: '3' })).toMatchObject({ product: 'Windows 10', server: false });
  });
});

describe('name and version conflicts', () => {
  test('version of another NT generation than the caption: unknown, quoting both', () => {
    const r = normaliseOs({ osName: 'Windows 7 Professional', osVersion: '10.0.19045' });
    expect(r).toMatchObject({ family: 'windows', product: null, release: null, ntVersion: null, build: null });
    expect(r.notes.join('\n')).toMatch(/name "Windows 7 Professional" is Windows 7 \(NT 6\.1\) but version "10\.0\.19045" is NT 10\.0 \(Windows 10 22H2\): .*product is unknown/);
  });

  test('a server caption that lost its "R2": the version says which (2008 on 6.1 is 2008 R2, 2012 on 6.3 is 2012 R2)', () => {
    const a = normaliseOs({ osName: 'Windows Server 2008 Standard', osVersion: '6.1.7601' });
    expect(a).toMatchObject({ product: 'Windows Server 2008 R2', server: true, servicePack: 1 });
    expect(a.notes.join('\n')).toMatch(/name says Windows Server 2008 but version 6\.1 is Windows Server 2008 R2; read as Windows Server 2008 R2/);
    expect(normaliseOs({ osName: 'Windows Server 2012 Datacenter', osVersion: '6.3.9600' })).toMatchObject({ product: 'Windows Server 2012 R2', server: true });
    // The other way round is no dropped word: a conflict.
    expect(normaliseOs({ osName: 'Windows Server 2008 R2 Standard', osVersion: '6.0.6002' })).toMatchObject({ product: null });
  });

  test('"Windows 10.0.19045" in the name column', () => {
    expect(normaliseOs({ osName: 'Windows 10.0.19045' })).toMatchObject({ product: 'Windows 10', build: 19045, release: '22H2' });
  });
});

describe('a name that names the product against numbers that name another (fail closed)', () => {
  const UNKNOWN: Expect = { family: 'windows', product: null, release: null };
  run([
    ['Windows 7 caption, Windows 10 version (ESU or not)', { osName: 'Microsoft Windows 7 Enterprise', osVersion: '10.0.19045' }, { ...UNKNOWN, ntVersion: null, build: null }],
    ['Server 2008 R2 caption, Server 2022 version', { osName: 'Windows Server 2008 R2 Standard', osVersion: '10.0.20348' }, { ...UNKNOWN, ntVersion: null }],
    ['XP caption, Windows 11 version', { osName: 'Microsoft Windows XP Professional', osVersion: '10.0.22631' }, UNKNOWN],
    ['Windows 10 caption, Windows 7 version with a build', { osName: 'Windows 10 Pro', osVersion: '6.1.7601' }, UNKNOWN],
    ['Windows 8 caption, 8.1 version', { osName: 'Windows 8 Pro', osVersion: '6.3.9600' }, UNKNOWN],
    ['Vista caption, Windows 7 AD version', { osName: 'Windows Vista Business', osVersion: '6.1 (7601)' }, UNKNOWN],
    ['Server 2019 caption, Server 2022 build', { osName: 'Windows Server 2019 Standard', osVersion: '10.0.20348' }, UNKNOWN],
    ['Server 2022 caption, Windows 11 build', { osName: 'Windows Server 2022 Standard', osVersion: '10.0.22631.3880' }, UNKNOWN],
    ['Server 2019 caption, Windows 10 build', { osName: 'Windows Server 2019 Datacenter', osVersion: '10.0.19045' }, UNKNOWN],
    ['Windows 10 caption, Server 2022 build', { osName: 'Windows 10 Enterprise', osVersion: '10.0.20348' }, UNKNOWN],
    ['Windows 11 caption, Windows 10 build', { osName: 'Microsoft Windows 11 Enterprise', osVersion: '10.0.19045.4291' }, UNKNOWN],
    ['Windows 7 caption, Windows 10 build column', { osName: 'Windows 7 Professional', build: '19045' }, UNKNOWN],
    ['Windows 10 caption, Windows 7 build column', { osName: 'Windows 10 Pro', build: '7601' }, UNKNOWN],
    ['Windows 7 caption, version 6.1 but a Windows 10 build column', { osName: 'Windows 7 Professional', osVersion: '6.1.7601', build: '19045' }, UNKNOWN],
    ['SCCM NT Workstation 6.1 name, Windows 10 version', { osName: 'Microsoft Windows NT Workstation 6.1', osVersion: '10.0.19045' }, UNKNOWN],
  ]);

  test('the note quotes the name and the version and says what each is', () => {
    const r = normaliseOs({ osName: 'Microsoft Windows Server 2008 R2 Standard', osVersion: '10.0.20348' });
    expect(r.notes.join('\n')).toMatch(
      /name "Microsoft Windows Server 2008 R2 Standard" is Windows Server 2008 R2 \(NT 6\.1\) but version "10\.0\.20348" is NT 10\.0 \(Windows Server 2022\): the name and the numbers name different Windows products, so the product is unknown/,
    );
    const b = normaliseOs({ osName: 'Windows 7 Professional', build: '19045' });
    expect(b.notes.join('\n')).toMatch(/name "Windows 7 Professional" is Windows 7 \(NT 6\.1\) but build 19045 is NT 10\.0 \(Windows 10 22H2\)/);
  });

  test('kept: the quirks where the numbers are right and the name is not', () => {
    // Windows 11 keeps "Windows 10" in its registry ProductName.
    expect(normaliseOs({ osName: 'Windows 10 Enterprise', osVersion: '10.0.26100.4349' })).toMatchObject({ product: 'Windows 11', release: '24H2' });
    // A server name without its year: the build says which (20348 is Windows Server 2022 only).
    expect(normaliseOs({ osName: 'Windows Server Standard', osVersion: '10.0.20348' })).toMatchObject({ product: 'Windows Server 2022' });
    // Except 17763: Windows Server 2019 is captioned with its year, version 1809 (Semi-Annual Channel,
    // ended 2020-11-10) without, so a yearless caption may be either (fail closed).
    const sac = normaliseOs({ osName: 'Windows Server Standard', osVersion: '10.0.17763' });
    expect(sac).toMatchObject({ product: null, server: true });
    expect(sac.notes.join('\n')).toMatch(/Windows Server 2019 or Windows Server, version 1809 \(Semi-Annual Channel/);
    // The yearless caption in the edition cell (Azure Resource Graph's osSku) is the same caption.
    expect(normaliseOs({ osName: 'windows', edition: 'Windows Server Datacenter', osVersion: '10.0.17763.5329' })).toMatchObject({ product: null });
    // Said outright ("version 1809", a Release column of 1809): the Semi-Annual Channel release.
    expect(normaliseOs({ osName: 'Windows Server Datacenter, version 1809', osVersion: '10.0.17763' })).toMatchObject({ product: 'Windows Server', release: '1809' });
    expect(normaliseOs({ osName: 'Windows Server Datacenter', osVersion: '10.0.17763', release: '1809' })).toMatchObject({ product: 'Windows Server', release: '1809' });
    // Configuration Manager's NT-family string never has a year: the build decides, as before.
    expect(normaliseOs({ osName: 'Microsoft Windows NT Server 10.0', osVersion: '10.0.17763' })).toMatchObject({ product: 'Windows Server 2019' });
    // GetVersionEx's compatibility value 6.2.9200 under a newer name.
    expect(normaliseOs({ osName: 'Windows 10 Pro', osVersion: '6.2.9200' })).toMatchObject({ product: 'Windows 10', build: null });
    // XP x64 is NT 5.2.
    expect(normaliseOs({ osName: 'Microsoft Windows XP Professional', osVersion: '5.2.3790' })).toMatchObject({ product: 'Windows XP', ntVersion: '5.2' });
    // A caption with a typo names no product: the version reads as before (no product words are in conflict).
    expect(normaliseOs({ osName: 'Windows Server Datacentre', osVersion: '10.0.20348' })).toMatchObject({ product: 'Windows Server 2022' });
  });
});

describe('a name cell listing several systems (a scanner\'s OS guesses) is no product (fail closed)', () => {
  const NONE: Expect = { product: null, release: null, build: null };
  run([
    ['Nessus candidates, one a line', { osName: 'Microsoft Windows Server 2019 Datacenter\nMicrosoft Windows Server 2008 R2 Datacenter' }, NONE],
    ['the other order, CRLF', { osName: 'Microsoft Windows Server 2008 R2 Datacenter\r\nMicrosoft Windows Server 2019 Datacenter', osVersion: '10.0.17763' }, NONE],
    ['semicolon', { osName: 'Microsoft Windows Server 2019 Standard; Microsoft Windows Server 2008 R2 Standard' }, NONE],
    ['slash', { osName: 'Microsoft Windows Server 2019 / Microsoft Windows Server 2012' }, NONE],
    ['comma', { osName: 'Microsoft Windows Server 2022 Standard, Microsoft Windows Server 2003' }, NONE],
    ['Windows and Linux', { osName: 'Microsoft Windows Server 2019 Datacenter\nLinux Kernel 2.6' }, NONE],
    ['client and server of one NT version', { osName: 'Windows 7 / Windows Server 2008 R2', osVersion: '6.1.7601' }, NONE],
    ['two LTSC releases of one product', { osName: 'Windows 10 Enterprise LTSC 2019, Windows 10 Enterprise 2016 LTSB' }, NONE],
    ['two feature updates of one product', { osName: 'Microsoft Windows 11 Enterprise 25H2\nMicrosoft Windows 11 Enterprise 21H2' }, NONE],
    ['two Ubuntu releases', { osName: 'Ubuntu 24.04 LTS, Ubuntu 16.04 LTS' }, NONE],
    ['two RHEL majors', { osName: 'Red Hat Enterprise Linux 9 / Red Hat Enterprise Linux 6' }, NONE],
  ]);

  test('the note names each system', () => {
    const r = normaliseOs({ osName: 'Microsoft Windows Server 2025\nMicrosoft Windows XP' });
    expect(r.notes.join('\n')).toMatch(/the OS name lists 2 different systems \("Microsoft Windows Server 2025", "Microsoft Windows XP"\), as a scanner does when it cannot tell which one runs; not judged/);
  });

  run([
    ['a comma before edition words', { osName: 'Windows Server 2003, Standard Edition', osVersion: '5.2.3790' }, { product: 'Windows Server 2003' }],
    ['a comma before the service pack', { osName: 'Microsoft Windows Server 2008 R2 Standard, Service Pack 1' }, { product: 'Windows Server 2008 R2', servicePack: 1 }],
    ['the same system twice', { osName: 'Microsoft Windows 10 Enterprise; Microsoft Windows 10 Enterprise', osVersion: '10.0.19045' }, { product: 'Windows 10', release: '22H2' }],
    ['a family word beside the product', { osName: 'Ubuntu 22.04.3 LTS, Linux' }, { product: 'Ubuntu', release: '22.04' }],
    ['a bare "Windows" beside the product', { osName: 'Microsoft Windows | Windows 10 Pro', osVersion: '10.0.19045' }, { product: 'Windows 10' }],
    ['one system, its release in one part only', { osName: 'Windows 10 Enterprise; Windows 10 Enterprise 22H2', osVersion: '10.0.19045' }, { product: 'Windows 10', release: '22H2' }],
    ['macOS beside its Darwin kernel', { osName: 'macOS 14.2 Sonoma, Darwin 23.2.0' }, { product: 'macOS', release: '14' }],
    ['one RHEL, release and major', { osName: 'Red Hat Enterprise Linux Server release 7.9 (Maipo), RHEL 7' }, { product: 'Red Hat Enterprise Linux', release: '7' }],
  ]);
});

describe('a platform of its own named in the edition cell', () => {
  test('Azure Resource Graph: osName "windows", osSku "Azure Stack HCI": not judged as Windows Server', () => {
    const r = normaliseOs({ osName: 'windows', edition: 'Azure Stack HCI', osVersion: '10.0.25398.1189' });
    expect(r).toMatchObject({ product: null });
    expect(r.notes.join('\n')).toMatch(/Azure Stack HCI \/ Azure Local is not Windows Server/);
    expect(normaliseOs({ osName: 'windows', edition: 'Windows Server 2022 Datacenter: Azure Edition', osVersion: '10.0.20348.2700' })).toMatchObject({ product: 'Windows Server 2022' });
  });

  test('a family-only name takes the product the edition cell names; the numbers must agree with it', () => {
    expect(normaliseOs({ osName: 'linux', edition: 'Ubuntu 20.04.6 LTS', osVersion: '20.04' })).toMatchObject({ family: 'linux', product: 'Ubuntu', release: '20.04' });
    expect(normaliseOs({ osName: 'windows', edition: 'Windows Server 2016 Standard', osVersion: '10.0.14393.8519' })).toMatchObject({ product: 'Windows Server 2016', revision: 8519 });
    expect(normaliseOs({ osName: 'windows', edition: 'Windows Server 2019 Datacenter', osVersion: '10.0.14393.8519' })).toMatchObject({ product: null });
    // A family the edition contradicts: not judged, either way round (the family may come as the platform).
    for (const input of [
      { osName: 'linux', edition: 'Windows Server 2019 Datacenter', osVersion: '10.0.17763' },
      { platform: 'linux', edition: 'Windows Server 2019 Datacenter', osVersion: '10.0.17763' },
      { osName: 'windows', edition: 'Ubuntu 22.04 LTS', osVersion: '22.04' },
    ]) {
      const r = normaliseOs(input);
      expect(r).toMatchObject({ product: null });
      expect(r.notes.join('\n')).toMatch(/but the edition cell names .*; not judged/);
    }
    // A name that names the product keeps it; an edition word is an edition.
    expect(normaliseOs({ osName: 'Windows 10 Enterprise', edition: 'Enterprise', osVersion: '10.0.19045' })).toMatchObject({ product: 'Windows 10' });
  });
});

describe('a whole NT version, or a build, inside the name cell', () => {
  run([
    ['BigFix "Win10 <version> (<release>)"', { osName: 'Win10 10.0.18363.418 (1909)' }, { product: 'Windows 10', release: '1909', build: 18363, revision: 418 }],
    ['BigFix Win2016', { osName: 'Win2016 10.0.14393.7428' }, { product: 'Windows Server 2016', build: 14393, revision: 7428 }],
    ['BigFix 1507 RTM', { osName: 'Win10 10.0.10240.16384' }, { product: 'Windows 10', release: '1507', build: 10240, revision: 16384 }],
    ['Datto RMM caption + version', { osName: 'Microsoft Windows 10 Pro 10.0.18362' }, { product: 'Windows 10', release: '1903', build: 18362, editionClass: 'consumer' }],
    ['Datto RMM Windows 11', { osName: 'Windows 11 Pro 10.0.22631' }, { product: 'Windows 11', release: '23H2', build: 22631 }],
    ['LTSC with its version', { osName: 'Windows 10 Enterprise LTSC 10.0.17763' }, { product: 'Windows 10', release: '1809', build: 17763, editionClass: 'ltsc' }],
    ['a scanner\'s "Build NNNNN"', { osName: 'Microsoft Windows 11 Enterprise Build 22631' }, { product: 'Windows 11', release: '23H2', build: 22631 }],
    ['Windows 7 with its version', { osName: 'Microsoft Windows 7 Professional 6.1.7601' }, { product: 'Windows 7', build: 7601 }],
  ]);

  test('no other version is taken for an NT version: "Windows 8.1", an agent\'s "6.3.1200"', () => {
    expect(normaliseOs({ osName: 'Windows 8.1 Pro' })).toMatchObject({ product: 'Windows 8.1', build: null });
    expect(normaliseOs({ osName: 'Windows 10 Pro (agent 6.3.1200)' })).toMatchObject({ product: 'Windows 10', build: null });
  });

  test('a version in the name that names another product than the name is a conflict, as in two cells', () => {
    expect(normaliseOs({ osName: 'Microsoft Windows 7 Professional 10.0.19045' })).toMatchObject({ product: null });
  });
});

describe('an agent\'s or tool\'s version in the version column never overrides the name', () => {
  const rows: [label: string, input: OsInput, expected: Expect, note: RegExp][] = [
    ['Windows 10 Pro + "6.1.3"', { osName: 'Windows 10 Pro', osVersion: '6.1.3' }, { product: 'Windows 10', ntVersion: '10.0', build: null, servicePack: null }, /version "6\.1\.3" cannot be the version of Windows 10 \(its third part is no Windows build number\); ignored, judged by the name/],
    ['Windows 10 Enterprise + "6.3.0.12"', { osName: 'Microsoft Windows 10 Enterprise', osVersion: '6.3.0.12' }, { product: 'Windows 10', build: null, servicePack: null }, /version "6\.3\.0\.12" cannot be the version of Windows 10/],
    ['Server 2019 + "6.2.5.4"', { osName: 'Microsoft Windows Server 2019 Standard', osVersion: '6.2.5.4' }, { product: 'Windows Server 2019', servicePack: null }, /version "6\.2\.5\.4" cannot be the version of Windows Server 2019/],
    ['Windows 11 Pro + "10.0.5"', { osName: 'Windows 11 Pro', osVersion: '10.0.5' }, { product: 'Windows 11', build: null }, /5 is no Windows build number/],
    ['Windows 7 + "6.1.300" (no NT 6.1 build)', { osName: 'Windows 7 Professional', osVersion: '6.1.300' }, { product: 'Windows 7', build: null }, /cannot be the version of Windows 7/],
    ['Windows 10 + "6.1.19045" (a build of another NT version)', { osName: 'Windows 10 Pro', osVersion: '6.1.19045' }, { product: 'Windows 10', ntVersion: '10.0' }, /build 19045 is no NT 6\.1 build/],
    ['Windows 7 + build column "12"', { osName: 'Windows 7 Professional', osVersion: '6.1.7601', build: '12' }, { product: 'Windows 7', build: 7601 }, /build 12 is no Windows build number; ignored/],
    ['Windows 10 + build column "1.2.300"', { osName: 'Windows 10 Pro', build: '1.2.300' }, { product: 'Windows 10', build: null }, /./],
  ];
  test.each(rows)('%s', (_l, input, expected, note) => {
    const r = normaliseOs(input);
    expect(r).toMatchObject(expected);
    expect(r.notes.join('\n')).toMatch(note);
  });

  test('a version that is no NT version leaves no service pack behind ("7.4.2" is not SP2)', () => {
    expect(normaliseOs({ osName: 'Windows 10 Enterprise 22H2', osVersion: '7.4.2', build: '1.14.2' })).toMatchObject({ product: 'Windows 10', release: '22H2', servicePack: null });
    expect(normaliseOs({ osName: 'Windows 11 Pro 24H2', osVersion: '7.3.9' })).toMatchObject({ product: 'Windows 11', release: '24H2', servicePack: null });
  });

  test('Mozilla\'s "Windows_NT 5.1.3.0" is still XP SP3; a bare "6.1.3" without a name still reads as before', () => {
    expect(normaliseOs({ osName: 'Windows XP Professional', osVersion: 'Windows_NT 5.1.3.0' })).toMatchObject({ product: 'Windows XP', servicePack: 3 });
    expect(normaliseOs({ osVersion: 'Windows_NT 5.1.3.0 (x86)' })).toMatchObject({ product: 'Windows XP', servicePack: 3 });
  });
});

describe('admin shorthands and spellings', () => {
  run([
    ['W10 Pro 21H2', { osName: 'W10 Pro 21H2' }, { product: 'Windows 10', release: '21H2', editionClass: 'consumer', server: false }],
    ['W11 Enterprise', { osName: 'W11 Enterprise' }, { product: 'Windows 11', editionClass: 'enterprise' }],
    ['W7 SP1', { osName: 'W7 SP1' }, { product: 'Windows 7', servicePack: 1 }],
    ['Win10 Enterprise', { osName: 'Win10 Enterprise' }, { product: 'Windows 10', editionClass: 'enterprise' }],
    ['Server 2012R2 (no space, no "Windows")', { osName: 'Server 2012R2' }, { product: 'Windows Server 2012 R2', ntVersion: '6.3', server: true }],
    ['Server 2019 Standard (no "Windows")', { osName: 'Server 2019 Standard' }, { product: 'Windows Server 2019', server: true }],
    ['Windows Server 2019 Std', { osName: 'Windows Server 2019 Std' }, { product: 'Windows Server 2019', server: true, edition: 'Std' }],
    ['Win 2k8 R2', { osName: 'Win 2k8 R2' }, { product: 'Windows Server 2008 R2', ntVersion: '6.1', server: true }],
    ['Win2k8', { osName: 'Win2k8' }, { product: 'Windows Server 2008', ntVersion: '6.0' }],
    ['W2K8R2 SP1', { osName: 'W2K8R2 SP1' }, { product: 'Windows Server 2008 R2', servicePack: 1 }],
    ['W2K3', { osName: 'W2K3' }, { product: 'Windows Server 2003' }],
    ['W2K12', { osName: 'W2K12' }, { product: 'Windows Server 2012', ntVersion: '6.2' }],
    ['W2K12R2', { osName: 'W2K12R2' }, { product: 'Windows Server 2012 R2', ntVersion: '6.3', server: true }],
    ['W2K16', { osName: 'W2K16' }, { product: 'Windows Server 2016', build: 14393 }],
    ['W2K19', { osName: 'W2K19' }, { product: 'Windows Server 2019', build: 17763 }],
    ['W2K22 with its version', { osName: 'W2K22', osVersion: '10.0.20348.2527' }, { product: 'Windows Server 2022', build: 20348 }],
    ['W2K (Windows 2000)', { osName: 'W2K' }, { product: 'Windows 2000' }],
    ['Windows 10 Pro N', { osName: 'Windows 10 Pro N', osVersion: '10.0.19045' }, { product: 'Windows 10', release: '22H2', editionClass: 'consumer', edition: 'Pro N' }],
    ['Windows 10 Pro KN', { osName: 'Windows 10 Pro KN', osVersion: '10.0.19045' }, { product: 'Windows 10', release: '22H2', editionClass: 'consumer', edition: 'Pro KN' }],
  ]);

  test.each([['W10-PC-001'], ['SQL Server 2016'], ['Exchange Server 2019'], ['W1'], ['W2K12-DC01']])('%s: no product', (osName) => {
    expect(normaliseOs({ osName }).product).toBeNull();
  });
});

describe('clean-up before matching', () => {
  run([
    ['(R) and (TM)', { osName: 'Microsoft(R) Windows(TM) 7 Professional' }, { product: 'Windows 7', edition: 'Professional' }],
    ['® and ™', { osName: 'Microsoft® Windows® 7 Professional™' }, { product: 'Windows 7', edition: 'Professional' }],
    ['? from ASCII export', { osName: 'Microsoft? Windows Server? 2008 R2 Standard ' }, { product: 'Windows Server 2008 R2', edition: 'Standard' }],
    ['collapse whitespace and case', { osName: '  MICROSOFT   WINDOWS\t7\u00a0 ENTERPRISE  ' }, { product: 'Windows 7', edition: 'ENTERPRISE' }],
    ['quoted cell', { osName: '"Microsoft Windows 7 Enterprise "' }, { product: 'Windows 7', edition: 'Enterprise' }],
    ['NULs between letters (UTF-16 read as bytes)', { osName: 'W\u0000i\u0000n\u0000d\u0000o\u0000w\u0000s\u0000 \u00007\u0000' }, { product: 'Windows 7' }],
    ['control characters', { osName: '\u0001Windows\u0007 10 Pro\u001b', osVersion: '10.0\u0000.19045' }, { product: 'Windows 10', build: 19045 }],
    ['BOM and zero-width space', { osName: '\ufeffWindows\u200b 8.1 Pro' }, { product: 'Windows 8.1' }],
    ['no space: Win7 / WinXP / Windows10', { osName: 'WinXP' }, { product: 'Windows XP' }],
    ['Windows10 Pro', { osName: 'Windows10 Pro', osVersion: '10.0.19045' }, { product: 'Windows 10' }],
  ]);
});

describe('garbage is unknown, never a guessed product', () => {
  const rows: OsInput[] = [
    { osName: 'asdf' },
    { osName: 'PC-FIN-0012' },
    { osName: 'Toaster OS 3.1' },
    { osName: 'Windowsill cleaner 7' },
    { osVersion: '99.99.99999999999' },
    { osVersion: '6.1' },
    { osVersion: '1.2.3' },
    { osName: '???', osVersion: '???' },
    { osName: 'Unknown' },
    { osVersion: '12345' },
    {},
  ];
  test.each(rows)('%j', (input) => {
    expect(normaliseOs(input)).toMatchObject({ family: 'unknown', product: null, release: null, ntVersion: null, build: null });
  });

  test('a bare "Win" is Windows but no product', () => {
    expect(normaliseOs({ osName: 'Win' })).toMatchObject({ family: 'windows', product: null });
  });

  test('platform Windows with a garbage version: Windows, no product', () => {
    const r = normaliseOs({ platform: 'Windows', osVersion: '99.99.99999999999' });
    expect(r).toMatchObject({ family: 'windows', product: null, ntVersion: null });
    expect(r.notes.join('\n')).toMatch(/99\.99 is not a Windows NT version/);
  });
});

describe('raw', () => {
  test('non-empty inputs joined with " | " in field order, kept as read', () => {
    const r = normaliseOs({
      platform: 'Windows',
      productType: '1',
      arch: '64-bit',
      servicePack: '',
      edition: 'Enterprise',
      release: '22H2',
      revision: '4291',
      build: '19045',
      osVersion: '10.0.19045.4291',
      osName: 'Microsoft Windows 10 Enterprise ',
    });
    expect(r.raw).toBe('Microsoft Windows 10 Enterprise  | 10.0.19045.4291 | 19045 | 4291 | 22H2 | Enterprise | 64-bit | 1 | Windows');
  });

  test('control characters are kept in raw', () => {
    expect(normaliseOs({ osName: 'Win\u0000 7' }).raw).toBe('Win\u0000 7');
  });

  test('cells that differ only by field position do not share a cache entry', () => {
    const a = normaliseOs({ osName: 'Windows 7', osVersion: '6.1.7601' });
    const b = normaliseOs({ osName: 'Windows 7 6.1.7601' });
    const c = normaliseOs({ osName: 'Windows 7', edition: '6.1.7601' });
    expect(a.raw).toBe('Windows 7 | 6.1.7601');
    expect(b.raw).toBe('Windows 7 6.1.7601');
    expect(c.raw).toBe('Windows 7 | 6.1.7601');
    expect(a).not.toBe(c);
    expect(a.build).toBe(7601);
    expect(c.build).toBeNull();
  });
});

describe('caching and immutability', () => {
  test('equal inputs share one frozen result', () => {
    const a = normaliseOs({ osName: 'Windows 8.1 Pro', osVersion: '6.3.9600' });
    const b = normaliseOs({ osName: 'Windows 8.1 Pro', osVersion: '6.3.9600' });
    expect(a).toBe(b);
    expect(Object.isFrozen(a)).toBe(true);
    expect(Object.isFrozen(a.notes)).toBe(true);
  });

  test('the cache stays correct past its size limit', () => {
    for (let i = 0; i < 12_000; i++) normaliseOs({ osName: 'Windows 10 Pro', osVersion: `10.0.19045.${i}` });
    expect(normaliseOs({ osName: 'Windows 10 Pro', osVersion: '10.0.19045.5' })).toMatchObject({ revision: 5, release: '22H2' });
    expect(normaliseOs({ osName: 'Windows 10 Pro', osVersion: '10.0.19045.11999' })).toMatchObject({ revision: 11999 });
  });
});

describe('idempotence: product + edition and ntVersion.build.revision give the same answer', () => {
  const inputs: OsInput[] = [
    { osName: 'Microsoft Windows 7 Enterprise ', osVersion: '6.1.7601 Service Pack 1 Build 7601' },
    { osName: 'Windows 10 Enterprise', osVersion: '10.0.14393.447' },
    { osName: 'Windows 10 Enterprise 2016 LTSB', osVersion: '10.0 (14393)' },
    { platform: 'Windows', osVersion: '10.0.22631.3447', edition: 'Professional' },
    { osName: 'Microsoft Windows 10 Pro', osVersion: '10.0.22631' },
    { osName: 'Win XP', osVersion: '5.2.3790' },
    { osName: 'Win XP', osVersion: '5.1.2600' },
    { osName: 'Microsoft(R) Windows(R) Server 2003, Enterprise Edition', osVersion: '5.2.3790' },
    { osName: 'Microsoft Windows Server 2003 R2 Standard Edition', osVersion: '5.2.3790' },
    { osName: 'Microsoft® Windows Server® 2008 Enterprise ', osVersion: '6.0.6002' },
    { osName: 'Microsoft Windows NT Advanced Server 6.1', osVersion: '6.1.7601' },
    { osName: 'Microsoft Windows 8.1 Pro', osVersion: '6.3.9600 N/A Build 9600' },
    { osName: 'Windows RT', osVersion: '6.2.9200' },
    { osName: 'Windows RT 8.1' },
    { osName: 'Windows Server 2016 Datacenter 64 bit Edition Version 1607', osVersion: '10.0.14393' },
    { osName: 'Windows Server Datacenter', osVersion: '10.0.16299.15' },
    { osName: 'Windows Server 2025 Standard', osVersion: '10.0.26100.1742' },
    { osName: 'Windows 11 IoT Enterprise LTSC 2024', osVersion: '10.0.26100.1742' },
    { osName: 'Windows Embedded POSReady 2009', osVersion: '5.1.2600' },
    { osName: 'Windows XP Embedded', osVersion: '5.1.2600' },
    { osName: 'Microsoft Windows Embedded Standard', osVersion: '5.1.2600' },
    { osName: 'Microsoft Windows Embedded for Point of Service', osVersion: '5.1.2600' },
    { osName: 'Windows Embedded Standard 7', osVersion: '6.1.7601' },
    { osVersion: 'Windows_NT 5.0' },
    { osName: 'Microsoft Windows 7 企业版', osVersion: '6.1.7601' },
    { osName: 'Windows 10 Pro', osVersion: '10.0.26300' },
  ];
  test.each(inputs)('%j', (input) => {
    const first = normaliseOs(input);
    expect(first.product).not.toBeNull();
    const version = [first.ntVersion, first.build, first.revision].filter((x) => x !== null).join('.');
    const again = normaliseOs({ osName: `${first.product} ${first.edition ?? ''}`, osVersion: version });
    expect({ product: again.product, release: again.release, build: again.build }).toEqual({
      product: first.product,
      release: first.release,
      build: first.build,
    });
  });
});

describe('never throws', () => {
  const hostile: unknown[] = [
    null,
    undefined,
    42,
    'Windows 7',
    [],
    { osName: null },
    { osName: 7 },
    { osName: {} },
    { osName: 'Windows '.repeat(200_000) },
    { osVersion: '9'.repeat(100_000) },
    { osVersion: '1.'.repeat(50_000) },
    { osName: '('.repeat(10_000) + 'R)' },
    { osName: '\ud800\udfff\ud800', osVersion: '\uffff' },
    { osVersion: '99.99.99999999999', build: '99999999999999999999', revision: '1e308' },
    { osVersion: '10.0.999999.999999' },
    { build: '-1', servicePack: 'SP99999', arch: '\u0000' },
    { osName: 'a\u0000'.repeat(10_000) },
    Object.create(null),
    new Proxy(
      {},
      {
        get() {
          throw new Error('hostile getter');
        },
      },
    ),
  ];
  test.each(hostile.map((h, i) => [i, h]))('hostile input #%d', (_i, input) => {
    let r: ReturnType<typeof normaliseOs> | undefined;
    expect(() => {
      r = normaliseOs(input as OsInput);
    }).not.toThrow();
    expect(r).toBeDefined();
    expect(typeof r!.raw).toBe('string');
    expect(Array.isArray(r!.notes)).toBe(true);
  });

  test('a throwing getter degrades to unknown with a note', () => {
    const r = normaliseOs(
      new Proxy({}, {
        get() {
          throw new Error('x');
        },
      }) as OsInput,
    );
    expect(r).toMatchObject({ family: 'unknown', product: null });
    expect(r.notes).toContain('the OS strings could not be interpreted');
  });

  test('huge build numbers are not treated as builds', () => {
    const r = normaliseOs({ osName: 'Windows 10 Pro', osVersion: '10.0.99999999999' });
    expect(r).toMatchObject({ family: 'windows', product: 'Windows 10', build: null });
  });

  test('property: any strings give a well-formed result', () => {
    const cell = fc.option(fc.oneof(fc.string({ unit: 'binary', maxLength: 60 }), fc.constantFrom(
      'Windows', 'Microsoft Windows 10 Pro', '10.0.19045.4291', '6.1 (7601)', 'Service Pack 3', 'N/A', 'x64', '3', 'darwin', 'Ubuntu 22.04',
    )), { nil: undefined });
    const families = new Set(['windows', 'linux', 'macos', 'other', 'unknown']);
    fc.assert(
      fc.property(
        fc.record({ osName: cell, osVersion: cell, build: cell, revision: cell, release: cell, edition: cell, servicePack: cell, arch: cell, productType: cell, platform: cell }),
        (input) => {
          const r = normaliseOs(input);
          expect(families.has(r.family)).toBe(true);
          expect(r.build === null || (Number.isSafeInteger(r.build) && r.build >= 0)).toBe(true);
          expect(r.revision === null || Number.isSafeInteger(r.revision)).toBe(true);
          expect(r.family === 'windows' || r.ntVersion === null).toBe(true);
          if (r.family === 'unknown') expect(r.product).toBeNull();
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe('names the version alone must not override', () => {
  test.each([
    ['Azure Stack HCI 21H2', { osName: 'Microsoft Azure Stack HCI', osVersion: '10.0.20348.1850' }, /Azure Stack HCI \/ Azure Local is not Windows Server/],
    ['Azure Stack HCI 22H2', { osName: 'Microsoft Azure Stack HCI', osVersion: '10.0.20349.3692' }, /Modern Lifecycle/],
    ['Azure Local', { osName: 'Microsoft Azure Local', osVersion: '10.0.26100.4000' }, /not judged/],
    ['an appliance name with an NT-like version', { osName: 'Contoso StorageOS', osVersion: '10.0.20348.1850' }, /is not a Windows product this tool knows \("Contoso StorageOS"\)/],
    ['a hypervisor name with an NT-like version', { osName: 'Acme Hypervisor', osVersion: '6.3.9600' }, /NT version 6\.3\.9600 alone does not say which product/],
  ])('%s: product unknown, with the reason', (_label, input, note) => {
    const os = normaliseOs(input);
    expect(os.product).toBeNull();
    expect(os.notes.join('; ')).toMatch(note);
  });

  test.each([
    ['empty name', { osName: '', osVersion: '10.0.20348' }, 'Windows Server 2022'],
    ['vendor only', { osName: 'Microsoft', osVersion: '6.1.7601', productType: '1' }, 'Windows 7'],
    ['role words only', { osName: 'Member Server', osVersion: '6.3.9600', productType: '3' }, 'Windows Server 2012 R2'],
    ['edition word only', { osName: 'Enterprise', osVersion: '10.0.19045' }, 'Windows 10'],
    ['version only', { osName: '10.0.19045', osVersion: '10.0.19045' }, 'Windows 10'],
  ])('%s: still read by version', (_label, input, product) => {
    expect(normaliseOs(input).product).toBe(product);
  });
});

describe('Hyper-V Server, Home Server, embedded SKUs, Defender platforms, Raspbian', () => {
  test.each([
    ['Hyper-V Server 2019', { osName: 'Microsoft Hyper-V Server 2019', osVersion: '10.0.17763.5000' }, 'Windows Server 2019', null],
    ['Hyper-V Server 2016 (systeminfo)', { osName: 'Microsoft Hyper-V Server 2016', osVersion: '10.0.14393 N/A Build 14393' }, 'Windows Server 2016', null],
    ['Hyper-V Server 2012 R2', { osName: 'Microsoft Hyper-V Server 2012 R2', osVersion: '6.3.9600' }, 'Windows Server 2012 R2', null],
    ['Hyper-V Server 2012', { osName: 'Microsoft Hyper-V Server 2012', osVersion: '6.2.9200' }, 'Windows Server 2012', null],
    ['Windows Home Server', { osName: 'Microsoft Windows Home Server', osVersion: '5.2.3790', servicePack: 'Service Pack 2' }, 'Windows Server 2003', 'home-server'],
    ['Windows Home Server 2011', { osName: 'Windows Home Server 2011', osVersion: '6.1.7601' }, 'Windows Server 2008 R2', 'home-server'],
    ['WMI "Windows Embedded Standard" on 6.1', { osName: 'Microsoft Windows Embedded Standard', osVersion: '6.1.7601' }, 'Windows 7', 'embedded-standard-7'],
    ['WMI "Windows Embedded Standard" on 6.2', { osName: 'Microsoft Windows Embedded Standard', osVersion: '6.2.9200' }, 'Windows 8', 'embedded-8-standard'],
    ['"Windows Embedded Standard" on 5.1 (2009)', { osName: 'Microsoft Windows Embedded Standard', osVersion: '5.1.2600' }, 'Windows Embedded Standard 2009', null],
    ['"Windows Embedded Standard" without a version', { osName: 'Windows Embedded Standard' }, null, null],
    ['POSReady 7', { osName: 'Microsoft Windows Embedded POSReady 7', osVersion: '6.1.7601' }, 'Windows 7', 'posready-7'],
    ['Thin PC', { osName: 'Microsoft Windows Thin PC', osVersion: '6.1.7601' }, 'Windows 7', 'thin-pc'],
    ['"Windows 7 Embedded" (edition not said)', { osName: 'Windows 7 Embedded', osVersion: '6.1.7601' }, 'Windows 7', null],
    ['Windows 7 Professional for Embedded Systems', { osName: 'Windows 7 Professional for Embedded Systems', osVersion: '6.1.7601' }, 'Windows 7', null],
    ['Embedded 8 Standard', { osName: 'Microsoft Windows Embedded 8 Standard', osVersion: '6.2.9200' }, 'Windows 8', 'embedded-8-standard'],
    ['Embedded 8 Industry (no lifecycle data)', { osName: 'Windows Embedded 8 Industry Pro', osVersion: '6.2.9200' }, null, null],
    ['Embedded 8.1 Industry Enterprise', { osName: 'Windows Embedded 8.1 Industry Enterprise', osVersion: '6.3.9600' }, 'Windows 8.1', 'embedded-8.1-industry'],
    ['Embedded 8.1 Pro (dates of 8.1)', { osName: 'Windows Embedded 8.1 Pro', osVersion: '6.3.9600' }, 'Windows 8.1', null],
    ['Embedded 8.1 Handheld is not desktop Windows', { osName: 'Windows Embedded 8.1 Handheld', osVersion: '8.10.14219' }, null, null],
    ['Embedded Standard 7 caption on NT 6.2: Windows 7 and Windows 8 disagree, unknown', { osName: 'Windows Embedded Standard 7', osVersion: '6.2.9200' }, null, null],
  ])('%s', (_label, input, product, editionClass) => {
    const os = normaliseOs(input);
    expect({ product: os.product, editionClass: os.editionClass }).toEqual({ product, editionClass });
  });

  test.each([
    ['Windows10', '22H2', '19045', 'Windows 10', '22H2'],
    ['Windows10', '1607', '14393', 'Windows 10', '1607'],
    ['Windows11', '23H2', '22631', 'Windows 11', '23H2'],
    ['Windows7', '6.1', '7601', 'Windows 7', null],
    ['Windows8.1', '6.3', '9600', 'Windows 8.1', null],
    ['WindowsServer2008R2', '6.1', '7601', 'Windows Server 2008 R2', null],
    ['WindowsServer2012R2', '6.3', '9600', 'Windows Server 2012 R2', null],
    ['WindowsServer2016', '1607', '14393', 'Windows Server 2016', null],
    ['WindowsServer2019', '1809', '17763', 'Windows Server 2019', null],
    ['WindowsServer2022', '21H2', '20348', 'Windows Server 2022', null],
    ['WindowsServer2025', '24H2', '26100', 'Windows Server 2025', null],
  ])('Defender for Endpoint OSPlatform %s (%s, build %s)', (platform, version, build, product, release) => {
    const os = normaliseOs({ platform, osVersion: version, build });
    expect({ family: os.family, product: os.product, release: os.release, build: os.build }).toEqual({ family: 'windows', product, release, build: Number(build) });
  });

  test.each([
    ['Raspbian GNU/Linux 10 (buster)', '10'],
    ['Raspbian GNU/Linux 11 (bullseye)', '11'],
    ['Raspbian GNU/Linux 12 (bookworm)', '12'],
  ])('%s is read as Debian %s', (osName, release) => {
    const os = normaliseOs({ osName });
    expect({ family: os.family, product: os.product, release: os.release }).toEqual({ family: 'linux', product: 'Debian', release });
    expect(os.notes.join('; ')).toMatch(/Raspbian \/ Raspberry Pi OS follows the Debian release/);
  });
});

describe('a version alone in the OS name cell (a sheet with one OS column)', () => {
  run([
    ['msinfo32 version as the name', { osName: 'Version 5.1.2600 Service Pack 3 Build 2600' }, { ...XP, build: 2600, servicePack: 3 }],
    ['4-part version as the name', { osName: '10.0.19045.6036' }, { product: 'Windows 10', release: '22H2', build: 19045, revision: 6036 }],
    ['AD form as the name', { osName: '10.0 (22631)' }, { product: 'Windows 11', release: '23H2', build: 22631 }],
    ['systeminfo form as the name, N/A and all', { osName: '10.0.19044 N/A build 19044' }, { product: 'Windows 10', release: '21H2', build: 19044 }],
    ['Windows 2000 build as the name', { osName: '5.0.2195' }, { product: 'Windows 2000', build: 2195 }],
    // A version shared by a workstation and a server stays undecided, as in the version cell.
    ['NT 6.1 as the name', { osName: '6.1 (7601)' }, { family: 'windows', product: null, build: 7601 }],
    // With a version cell beside it, the name cell is not moved (the version cell is read as ever).
    ['name and version cells', { osName: '10.0.19045', osVersion: '10.0.22631' }, { product: 'Windows 11', build: 22631 }],
  ]);
  test('a name with product words is not taken for a version', () => {
    expect(normaliseOs({ osName: 'VMware ESXi 7.0.3 build-21930508' }).family).not.toBe('windows');
  });
});

describe('VMware ESXi', () => {
  run([
    ['vCenter full name', { osName: 'VMware ESXi 6.7.0 build-8169922' }, { family: 'other', product: 'VMware ESXi', release: '6.7', server: true }],
    ['update in the name', { osName: 'ESXi 8.0 Update 2' }, { product: 'VMware ESXi', release: '8.0' }],
    ['release in the version cell', { osName: 'VMware ESXi', osVersion: '7.0.3' }, { product: 'VMware ESXi', release: '7.0' }],
    // The build number is never read as the release.
    ['build only', { osName: 'VMware ESXi build-21930508' }, { product: 'VMware ESXi', release: null }],
    // Classic ESX (4.x) is another product: not recognised.
    ['classic ESX', { osName: 'VMware ESX 4.1.0 build-260247' }, { family: 'other', product: null }],
  ]);
});
