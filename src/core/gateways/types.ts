import type { AIConfiguration, RouteGroup } from '../store/types';
import type { KeyVariable } from './envNames';

/** What the user picked to carry to a gateway. */
export interface GatewayExportInput {
  readonly configurations: readonly AIConfiguration[];
  readonly groups: readonly RouteGroup[];
  /** Every configuration of the user: a group's members are found here even when not picked themselves. */
  readonly allConfigurations: readonly AIConfiguration[];
  readonly now: Date;
}

/** A gateway file, what the user must set beside it, and what it could not carry. */
export interface GatewayExport {
  /** The file's text: never a key. */
  readonly text: string;
  /** Environment variables (LiteLLM) or placeholders (Portkey) the user fills with keys. */
  readonly variables: readonly KeyVariable[];
  /** One sentence per setting the engine cannot express; also written into the file where the format allows. */
  readonly notCarried: readonly string[];
  readonly configurations: number;
  readonly groups: number;
}

/** A group's members as configurations, with the model and weight each member uses. */
export interface ResolvedMember {
  readonly configuration: AIConfiguration;
  readonly model: string;
  readonly weight: number;
}
