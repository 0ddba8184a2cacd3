/**
 * lib/index.ts is the package's public API. Its exports (values and types) are listed here, so that adding, removing
 * or renaming one is a visible, reviewed change (and a CHANGELOG entry).
 */
import * as path from 'path';
import * as ts from 'typescript';
import * as api from '../../lib';

const VALUES = [
  'AGENT_MONITOR_DEFAULTS',
  'AMI_WATCHER_DEFAULTS',
  'ASYNC_MAXIMUM_RETRY_ATTEMPTS',
  'AgentMonitor',
  'AmiSource',
  'AmiWatcher',
  'DEFAULTS',
  'DLQ_MESSAGE_RETENTION_SECONDS',
  'EcsAmiRollout',
  'EcsCluster',
  'EcsInstanceRole',
  'EsbuildBundler',
  'EventBridgeDeadLetterQueue',
  'GATE_DEFAULTS',
  'LAMBDA_ARCHITECTURE',
  'LAMBDA_HANDLER',
  'LAMBDA_RUNTIME',
  'LAUNCH_HOOK_NAME',
  'LOG_RETENTION_DAYS',
  'LifecycleGates',
  'NODEJS_FUNCTION_DEFAULTS',
  'NodeGroup',
  'NodejsFunction',
  'Notifications',
  'StubBundler',
  'TERMINATE_HOOK_NAME',
  'ValidationError',
  'ecsOptimizedAmi',
  'hookGlobalTimeoutSeconds',
];

const TYPES = [
  'AgentMonitorOptions',
  'AgentMonitorProps',
  'AmiBindContext',
  'AmiBinding',
  'AmiMode',
  'AmiVariant',
  'AmiWatcherOptions',
  'AmiWatcherProps',
  'Architecture',
  'BundleRequest',
  'BundleResult',
  'Bundler',
  'Bundling',
  'CapacityProviderOptions',
  'CapacityProviderStrategyItem',
  'ClusterReference',
  'ControlPlaneFunctionOptions',
  'ControlPlaneProps',
  'CustomAmiOptions',
  'DrainOwner',
  'EcsAmiRolloutProps',
  'EcsClusterProps',
  'EcsInstanceRoleProps',
  'EcsOptimizedAmiOptions',
  'EcsOptimizedAmiSpec',
  'EsbuildBundlerOptions',
  'EventBridgeTriggerOptions',
  'ExtraVolumeOptions',
  'GateOptions',
  'InstanceRefreshOptions',
  'LifecycleGatesProps',
  'LifecycleHookOptions',
  'MaintenanceWindow',
  'MixedInstancesOptions',
  'NodeGroupOptions',
  'NodeGroupProps',
  'NodejsFunctionProps',
  'NotificationOptions',
  'NotificationsProps',
  'OsFamily',
  'OwnedAmi',
  'TracingMode',
];

describe('the public API', () => {
  it('exports exactly the listed values', () => {
    // GIVEN the loaded index / THEN its runtime exports are the listed ones
    expect(Object.keys(api).sort()).toEqual([...VALUES].sort());
  });

  it('exports exactly the listed values and types, as the compiler sees them', () => {
    // GIVEN the index compiled by TypeScript
    const index = path.resolve(__dirname, '..', '..', 'lib', 'index.ts');
    const program = ts.createProgram([index], {
      strict: true,
      esModuleInterop: true,
      skipLibCheck: true,
      noEmit: true,
    });
    const checker = program.getTypeChecker();
    // WHEN its exports are listed
    const exported = checker.getExportsOfModule(checker.getSymbolAtLocation(program.getSourceFile(index)!)!);
    // THEN they are the listed values and types
    expect(exported.map((s) => s.name).sort()).toEqual([...VALUES, ...TYPES].sort());
  });
});
