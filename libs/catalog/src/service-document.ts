/** The CAM service document (ServiceEngine_InputFile.service), as far as the gateway reads it. */
export interface CamParameter {
  name: string;
  label?: string;
  type?: string;
  customtype?: string;
  required?: boolean;
  secured?: boolean;
  immutable?: boolean;
  hidden?: boolean;
  default?: unknown;
  range?: { min?: number; max?: number };
  [key: string]: unknown;
}

export interface CamTemplateStep {
  id: string;
  title?: string;
  template_name?: string;
  version?: string;
  template_type?: string;
  template_params?: Record<string, unknown>;
  [key: string]: unknown;
}

export interface CamFlow {
  conditions?: unknown[];
  templates?: Array<Record<string, CamTemplateStep>>;
  resthooks?: Array<{ resthook: { id: string; [key: string]: unknown } }>;
  notifications?: unknown[];
  sequence?: Record<string, string>;
  error_sequence?: Record<string, string>;
  [key: string]: unknown;
}

export interface CamAction {
  type: string;
  name: string;
  description?: string;
  input_parameters?: CamParameter[];
  flow?: CamFlow;
  output_parameters?: unknown[];
  [key: string]: unknown;
}

export interface CamPlan {
  name: string;
  description?: string;
  actions?: unknown[];
  plan_parameters?: CamParameter[];
  [key: string]: unknown;
}

export interface CamServiceDocument {
  specVersion?: string;
  version?: string;
  catalog_metadata: {
    name: string;
    description?: string;
    image?: string;
    category?: string;
    author?: string;
    longDescription?: string;
    [key: string]: unknown;
  };
  tags?: CamParameter[];
  actions: CamAction[];
  plans?: CamPlan[];
  [key: string]: unknown;
}

export const DEFAULT_CATEGORY = 'CloudServices';
export const DEFAULT_VERSION = '1.0.0.0';
export const ESC_TEMPLATE_TYPE = 'ESC';
