// Copies the built-in rule packs and data next to the compiled code (dist/rules/...).
import { cpSync, mkdirSync } from 'node:fs';

for (const dir of ['rules/packs', 'rules/data']) {
  mkdirSync(`dist/${dir}`, { recursive: true });
  cpSync(`src/${dir}`, `dist/${dir}`, { recursive: true });
}
