import { Testing } from 'cdktf';
// Global types of cdktf's jest matchers.
import 'cdktf/lib/testing/adapters/jest';

// Adds cdktf's matchers (toHaveResource, toHaveResourceWithProperties, toHaveDataSource…).
Testing.setupJest();
