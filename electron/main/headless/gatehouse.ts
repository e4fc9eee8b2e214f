#!/usr/bin/env node
// The `gatehouse` command. Runs on Node 24 (installed as a devDependency; npm scripts and npx put it
// first on PATH), which executes this TypeScript directly.
import { runCli } from './cli.ts';

process.exitCode = await runCli(process.argv.slice(2));
