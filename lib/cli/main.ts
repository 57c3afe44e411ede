#!/usr/bin/env node
import { runCli } from './cli.js';
import { PROCESS_OUTPUT } from './cli-output.js';

process.exitCode = runCli(process.argv.slice(2), PROCESS_OUTPUT);
