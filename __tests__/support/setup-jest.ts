import { Testing } from 'cdktf';
// Global types of cdktf's jest matchers.
import 'cdktf/lib/testing/adapters/jest';
import { configureProperties } from './property-runs';

// Adds cdktf's matchers (toHaveResource, toHaveResourceWithProperties, toHaveDataSource…).
Testing.setupJest();

// Property tests are deterministic: one fixed base seed, overridable for exploration (see property-runs.ts).
configureProperties();

// The AWS SDK warns on every client construction under Node 20 (support ends in 2027); the Lambdas run on nodejs22.x.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
