#!/usr/bin/env node
// The executable only loads and runs the CLI; everything else lives in src/.
import { main } from '../dist/cli/main.js';

main();
