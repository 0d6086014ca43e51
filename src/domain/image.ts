import { stableHex } from './ids.js';

/**
 * A machine image (botocore `Image`), kept to what DescribeImages shows and providers read. Stockade
 * has no images of its own: a small catalogue of public images (issue 13), so that Terraform's
 * `data "aws_ami"` with `most_recent`, `owners` and a name filter finds one, plus a stand-in for
 * any other AMI ID a RunInstances call used (RunInstances accepts any well-formed ID).
 */
export interface Image {
  readonly imageId: string;
  readonly imageLocation: string;
  readonly name: string;
  readonly description: string;
  readonly ownerId: string;
  /** `amazon` for Amazon's own images; absent for other publishers' and the caller's. */
  readonly imageOwnerAlias?: string;
  readonly creationDate: string;
  readonly architecture: 'x86_64' | 'arm64';
  readonly isPublic: boolean;
  readonly platform?: 'windows';
  readonly platformDetails: string;
  readonly usageOperation: string;
  readonly rootDeviceName: string;
  readonly rootSnapshotId: string;
  readonly rootVolumeSizeGiB: number;
  readonly bootMode: 'legacy-bios' | 'uefi' | 'uefi-preferred';
  readonly imdsSupport?: 'v2.0';
}

// The publishers' account IDs, as AWS documents them for `owners` filters.
const AMAZON = '137112412989';
const CANONICAL = '099720109477';
const DEBIAN = '136693071363';
const AMAZON_WINDOWS = '801119661308';

type Entry = readonly [owner: string, name: string, description: string, architecture: 'x86_64' | 'arm64', created: string];

// Two releases of each line, so that `most_recent` has a choice to make.
const CATALOGUE: readonly Entry[] = [
  [AMAZON, 'al2023-ami-2023.6.20241212.0-kernel-6.1-x86_64', 'Amazon Linux 2023 AMI 2023.6.20241212.0 x86_64 HVM kernel-6.1', 'x86_64', '2024-12-12T19:03:06.000Z'],
  [AMAZON, 'al2023-ami-2023.6.20250115.0-kernel-6.1-x86_64', 'Amazon Linux 2023 AMI 2023.6.20250115.0 x86_64 HVM kernel-6.1', 'x86_64', '2025-01-15T20:27:41.000Z'],
  [AMAZON, 'al2023-ami-2023.6.20241212.0-kernel-6.1-arm64', 'Amazon Linux 2023 AMI 2023.6.20241212.0 arm64 HVM kernel-6.1', 'arm64', '2024-12-12T19:03:10.000Z'],
  [AMAZON, 'al2023-ami-2023.6.20250115.0-kernel-6.1-arm64', 'Amazon Linux 2023 AMI 2023.6.20250115.0 arm64 HVM kernel-6.1', 'arm64', '2025-01-15T20:27:45.000Z'],
  [AMAZON, 'amzn2-ami-hvm-2.0.20241217.0-x86_64-gp2', 'Amazon Linux 2 AMI 2.0.20241217.0 x86_64 HVM gp2', 'x86_64', '2024-12-17T22:12:32.000Z'],
  [AMAZON, 'amzn2-ami-hvm-2.0.20250108.0-x86_64-gp2', 'Amazon Linux 2 AMI 2.0.20250108.0 x86_64 HVM gp2', 'x86_64', '2025-01-08T19:47:55.000Z'],
  [CANONICAL, 'ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-server-20241206', 'Canonical, Ubuntu, 24.04, amd64 noble image', 'x86_64', '2024-12-06T07:44:18.000Z'],
  [CANONICAL, 'ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-server-20250115', 'Canonical, Ubuntu, 24.04, amd64 noble image', 'x86_64', '2025-01-15T05:12:40.000Z'],
  [CANONICAL, 'ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-amd64-server-20241219', 'Canonical, Ubuntu, 22.04 LTS, amd64 jammy image build on 2024-12-19', 'x86_64', '2024-12-19T06:02:11.000Z'],
  [CANONICAL, 'ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-amd64-server-20250112', 'Canonical, Ubuntu, 22.04 LTS, amd64 jammy image build on 2025-01-12', 'x86_64', '2025-01-12T05:35:02.000Z'],
  [DEBIAN, 'debian-12-amd64-20241201-1948', 'Debian 12 (20241201-1948)', 'x86_64', '2024-12-01T21:40:23.000Z'],
  [DEBIAN, 'debian-12-amd64-20250112-1990', 'Debian 12 (20250112-1990)', 'x86_64', '2025-01-12T13:10:07.000Z'],
  [AMAZON_WINDOWS, 'Windows_Server-2022-English-Full-Base-2025.01.15', 'Microsoft Windows Server 2022 Full Locale English AMI provided by Amazon', 'x86_64', '2025-01-15T08:02:19.000Z'],
];

/**
 * The catalogue's public images as seen from a region. Each region has its own IDs in EC2, so the
 * IDs (and root snapshots) are stable digests of region and name: the same on every server.
 */
export function publicImagesOf(region: string): readonly Image[] {
  return CATALOGUE.map(([ownerId, name, description, architecture, creationDate]) => {
    const windows = ownerId === AMAZON_WINDOWS;
    const amazonLinux = ownerId === AMAZON;
    return {
      imageId: `ami-${stableHex(`${region}/image/${name}`, 17)}`,
      imageLocation: `${amazonLinux || windows ? 'amazon' : ownerId}/${name}`,
      name,
      description,
      ownerId,
      ...(amazonLinux || windows ? { imageOwnerAlias: 'amazon' } : {}),
      creationDate,
      architecture,
      isPublic: true,
      ...(windows ? { platform: 'windows' as const } : {}),
      platformDetails: windows ? 'Windows' : 'Linux/UNIX',
      usageOperation: windows ? 'RunInstances:0002' : 'RunInstances',
      rootDeviceName: ownerId === CANONICAL || windows ? '/dev/sda1' : '/dev/xvda',
      rootSnapshotId: `snap-${stableHex(`${region}/snapshot/${name}`, 17)}`,
      rootVolumeSizeGiB: windows ? 30 : 8,
      bootMode: amazonLinux && name.startsWith('al2023') ? 'uefi-preferred' : 'legacy-bios',
      ...(amazonLinux && name.startsWith('al2023') ? { imdsSupport: 'v2.0' as const } : {}),
    };
  });
}

/**
 * The stand-in for an AMI ID a launch used that is not in the catalogue: a private image of the
 * launching account (UNCONFIRMED: EC2 would have refused the launch; Stockade has no images to
 * check against, spec/api.md §5.14).
 */
export function launchedImage(imageId: string, ownerId: string, firstLaunchTime: string): Image {
  return {
    imageId,
    imageLocation: `${ownerId}/${imageId}`,
    name: imageId,
    description: '',
    ownerId,
    creationDate: firstLaunchTime,
    architecture: 'x86_64',
    isPublic: false,
    platformDetails: 'Linux/UNIX',
    usageOperation: 'RunInstances',
    rootDeviceName: '/dev/xvda',
    rootSnapshotId: `snap-${stableHex(`${imageId}/snapshot`, 17)}`,
    rootVolumeSizeGiB: 8,
    bootMode: 'legacy-bios',
  };
}
