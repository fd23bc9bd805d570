// Partial Kubernetes types: only the fields kubeward reads. `validate.ts` checks these shapes
// before any rule runs, so rules can trust them (every field stays optional: manifests omit most).

export interface ObjectMeta {
  name?: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export interface LabelSelectorRequirement {
  key: string;
  operator: string;
  values?: string[];
}
export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: LabelSelectorRequirement[];
}

export interface Capabilities {
  add?: string[];
  drop?: string[];
}
export interface SeccompProfile {
  type?: string;
  localhostProfile?: string;
}
export interface AppArmorProfile {
  type?: string;
  localhostProfile?: string;
}
export interface SecurityContext {
  privileged?: boolean;
  allowPrivilegeEscalation?: boolean;
  readOnlyRootFilesystem?: boolean;
  runAsNonRoot?: boolean;
  runAsUser?: number;
  runAsGroup?: number;
  procMount?: string;
  capabilities?: Capabilities;
  seccompProfile?: SeccompProfile;
  appArmorProfile?: AppArmorProfile;
  seLinuxOptions?: Record<string, string>;
  windowsOptions?: { hostProcess?: boolean };
}
export interface PodSecurityContext {
  runAsNonRoot?: boolean;
  runAsUser?: number;
  runAsGroup?: number;
  fsGroup?: number;
  supplementalGroups?: number[];
  seccompProfile?: SeccompProfile;
  appArmorProfile?: AppArmorProfile;
  sysctls?: { name: string; value?: string }[];
  seLinuxOptions?: Record<string, string>;
  windowsOptions?: { hostProcess?: boolean };
}

export interface ContainerPort {
  name?: string;
  containerPort: number;
  hostPort?: number;
  protocol?: string;
}
export interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: {
    secretKeyRef?: { name?: string; key?: string };
    configMapKeyRef?: { name?: string; key?: string };
    fieldRef?: { fieldPath?: string };
    resourceFieldRef?: { resource?: string };
  };
}
export interface EnvFromSource {
  secretRef?: { name?: string };
  configMapRef?: { name?: string };
  prefix?: string;
}
export interface ResourceRequirements {
  limits?: Record<string, string | number>;
  requests?: Record<string, string | number>;
}
export interface Probe {
  httpGet?: { path?: string; port?: number | string };
  tcpSocket?: { port?: number | string };
  grpc?: { port?: number };
  exec?: { command?: string[] };
  initialDelaySeconds?: number;
  periodSeconds?: number;
}
export interface VolumeMount {
  name: string;
  mountPath: string;
  readOnly?: boolean;
  subPath?: string;
}
export interface Container {
  name: string;
  /** null is "unset" to Kubernetes and passes validation (charts render `image: null`). */
  image?: string | null;
  imagePullPolicy?: string;
  command?: string[];
  args?: string[];
  ports?: ContainerPort[];
  env?: EnvVar[];
  envFrom?: EnvFromSource[];
  resources?: ResourceRequirements;
  securityContext?: SecurityContext;
  livenessProbe?: Probe;
  readinessProbe?: Probe;
  startupProbe?: Probe;
  volumeMounts?: VolumeMount[];
  restartPolicy?: string;
}
export interface Volume {
  name: string;
  hostPath?: { path: string; type?: string };
  secret?: { secretName?: string };
  configMap?: { name?: string };
  persistentVolumeClaim?: { claimName?: string };
  [source: string]: unknown;
}
export interface PodSpec {
  containers: Container[];
  initContainers?: Container[];
  ephemeralContainers?: Container[];
  volumes?: Volume[];
  hostNetwork?: boolean;
  hostPID?: boolean;
  hostIPC?: boolean;
  securityContext?: PodSecurityContext;
  serviceAccountName?: string;
  serviceAccount?: string;
  automountServiceAccountToken?: boolean;
  affinity?: Record<string, unknown>;
  topologySpreadConstraints?: unknown[];
  nodeSelector?: Record<string, string>;
  priorityClassName?: string;
  restartPolicy?: string;
}
export interface PodTemplate {
  metadata?: ObjectMeta;
  spec: PodSpec;
}

export interface PolicyRule {
  apiGroups?: string[];
  resources?: string[];
  verbs: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
}
export interface Subject {
  kind: string;
  name: string;
  namespace?: string;
  apiGroup?: string;
}
export interface RoleRef {
  apiGroup?: string;
  kind: string;
  name: string;
}
