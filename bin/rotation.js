#!/usr/bin/env node
'use strict';
// `npx rotation …`: the CLI is TypeScript run as is (no build step), so register tsx's require hook first.
require('tsx/cjs');
require('../src/cli/main.ts');
