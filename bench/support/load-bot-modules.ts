// The floor for the sandbox's start-up: only loading the bot's modules (what src/main.ts does first).
await import('../../src/build-app');
console.log('LOADED');
export {};
