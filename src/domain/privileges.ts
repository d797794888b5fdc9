/** Privilege levels and the tools each grants, as configured in the service config file. */
export type PrivilegeLevel = 'basic' | 'plus';

/** The eight Kaleyra in-call tools, camelCase in our domain (snake_case only on the wire). */
export interface Tools {
  chat: boolean;
  screenSharing: boolean;
  fileUpload: boolean;
  whiteboard: boolean;
  snapshot: boolean;
  liveEdit: boolean;
  livePointer: boolean;
  presentToEveryone: boolean;
}

export const TOOL_NAMES = [
  'chat',
  'screenSharing',
  'fileUpload',
  'whiteboard',
  'snapshot',
  'liveEdit',
  'livePointer',
  'presentToEveryone',
] as const satisfies ReadonlyArray<keyof Tools>;

export interface PrivilegeProfile {
  groups: string[];
  tools: Tools;
}

export interface Privileges {
  basic: PrivilegeProfile;
  plus: PrivilegeProfile;
}
