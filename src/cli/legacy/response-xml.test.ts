import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  errorFromResponseBody,
  groupIdFromCreateResponse,
  ResponseFormatError,
  securityGroupsFromDescribeResponse,
} from './response-xml.js';

describe('errorFromResponseBody', () => {
  it('reads the envelope of errors.md §1, entities decoded', () => {
    const body =
      '<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>InvalidPermission.Duplicate</Code><Message>the specified rule &quot;peer: 0.0.0.0/0, TCP, from port: 22, to port: 22, ALLOW&quot; already exists</Message></Error></Errors><RequestID>r</RequestID></Response>';
    assert.deepEqual(errorFromResponseBody(body), {
      code: 'InvalidPermission.Duplicate',
      message: 'the specified rule "peer: 0.0.0.0/0, TCP, from port: 22, to port: 22, ALLOW" already exists',
    });
  });

  for (const [name, body] of [
    ['HTML', '<html><body>502 Bad Gateway</body></html>'],
    ['plain text', 'Internal Server Error'],
    ['empty', ''],
  ] as const) {
    it(`rejects ${name}`, () => assert.throws(() => errorFromResponseBody(body), ResponseFormatError));
  }
});

const DESCRIBE = `<?xml version="1.0" encoding="UTF-8"?>
<DescribeSecurityGroupsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">
  <requestId>r</requestId>
  <securityGroupInfo>
    <item>
      <ownerId>111122223333</ownerId>
      <groupId>sg-5a2b3c4d</groupId>
      <groupName> spaced &amp; odd </groupName>
      <groupDescription>caf&#233;</groupDescription>
      <vpcId>vpc-1a2b3c4d</vpcId>
      <ipPermissions>
        <item>
          <ipProtocol>-1</ipProtocol>
          <groups><item><userId>111122223333</userId><groupId>sg-5a2b3c4d</groupId></item></groups>
          <ipRanges/>
          <ipv6Ranges><item><cidrIpv6>::/0</cidrIpv6></item></ipv6Ranges>
          <prefixListIds/>
        </item>
        <item>
          <ipProtocol>tcp</ipProtocol><fromPort>22</fromPort><toPort>22</toPort>
          <groups/>
          <ipRanges><item><cidrIp>10.0.0.0/8</cidrIp><description>x</description></item><item><cidrIp>192.0.2.0/24</cidrIp></item></ipRanges>
        </item>
      </ipPermissions>
      <ipPermissionsEgress/>
      <tagSet><item><key>Name</key><value></value></item></tagSet>
      <securityGroupArn>arn:aws:ec2:us-east-1:111122223333:security-group/sg-5a2b3c4d</securityGroupArn>
    </item>
    <item>
      <ownerId>111122223333</ownerId><groupName>default</groupName><groupId>sg-00000001</groupId><groupDescription>default group</groupDescription>
      <ipPermissions><item><ipProtocol>udp</ipProtocol><fromPort>0</fromPort><toPort>65535</toPort>
        <groups><item><userId>111122223333</userId><groupId>sg-00000001</groupId><groupName>default</groupName></item></groups><ipRanges/></item></ipPermissions>
    </item>
  </securityGroupInfo>
</DescribeSecurityGroupsResponse>`;

describe('securityGroupsFromDescribeResponse', () => {
  it('reads groups, permissions, peers and tags in order, ignoring unknown elements', () => {
    assert.deepEqual(securityGroupsFromDescribeResponse(DESCRIBE), [
      {
        ownerId: '111122223333',
        groupId: 'sg-5a2b3c4d',
        groupName: ' spaced & odd ',
        groupDescription: 'café',
        vpcId: 'vpc-1a2b3c4d',
        ipPermissions: [
          { ipProtocol: '-1', fromPort: '', toPort: '', cidrIps: [], groups: [{ userId: '111122223333', groupId: 'sg-5a2b3c4d', groupName: '' }] },
          { ipProtocol: 'tcp', fromPort: '22', toPort: '22', cidrIps: ['10.0.0.0/8', '192.0.2.0/24'], groups: [] },
        ],
        ipPermissionsEgress: [],
        tagSet: [{ key: 'Name', value: '' }],
      },
      {
        ownerId: '111122223333',
        groupId: 'sg-00000001',
        groupName: 'default',
        groupDescription: 'default group',
        vpcId: '',
        ipPermissions: [
          { ipProtocol: 'udp', fromPort: '0', toPort: '65535', cidrIps: [], groups: [{ userId: '111122223333', groupId: 'sg-00000001', groupName: 'default' }] },
        ],
        ipPermissionsEgress: [],
        tagSet: [],
      },
    ]);
  });

  it('reads an empty list', () => {
    const body = '<DescribeSecurityGroupsResponse><requestId>r</requestId><securityGroupInfo/></DescribeSecurityGroupsResponse>';
    assert.deepEqual(securityGroupsFromDescribeResponse(body), []);
  });

  it('rejects another document', () => {
    assert.throws(() => securityGroupsFromDescribeResponse('<Other/>'), ResponseFormatError);
  });
});

describe('groupIdFromCreateResponse', () => {
  it('reads groupId', () => {
    const body = '<CreateSecurityGroupResponse xmlns="http://ec2.amazonaws.com/doc/2013-02-01/"><requestId>r</requestId><return>true</return><groupId>sg-1a2b3c4d</groupId></CreateSecurityGroupResponse>';
    assert.equal(groupIdFromCreateResponse(body), 'sg-1a2b3c4d');
  });

  it('requires groupId (the tools print it)', () => {
    const body = '<CreateSecurityGroupResponse><return>true</return></CreateSecurityGroupResponse>';
    assert.throws(() => groupIdFromCreateResponse(body), ResponseFormatError);
  });
});
