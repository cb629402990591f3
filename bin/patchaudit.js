#!/usr/bin/env node
// The executable only loads and runs the CLI (the bundle in dist/cli, see src/cli/launch.ts); everything else lives in src/.
import { loadCli } from '../dist/cli/launch.js';

loadCli().main();
