// The launcher's texts. NemID offered DA, EN and KL; the simulator has no Greenlandic texts and shows Danish for KL.

export const LAUNCHER_TEXTS = {
  da: {
    waiting: 'Venter på parametre fra tjenesten …',
    userId: 'Bruger-id',
    password: 'Adgangskode',
    remember: 'Husk bruger-id',
    next: 'Næste',
    cancel: 'Afbryd',
    login: 'Log på',
    keyPrompt: 'Indtast koden fra dit nøglekort for nøgle',
    code: 'Nøglekode',
    keyFile: 'Nøglefil',
    wrongCredentials: 'Forkert bruger-id eller adgangskode.',
    wrongCode: 'Forkert nøglekode.',
    noMatchingCertificate: 'Nøglefilen passer ikke til tjenesten.',
    working: 'Logger på …',
    banner: 'SIMULATOR – ikke den rigtige NemID',
  },
  en: {
    waiting: 'Waiting for parameters from the service …',
    userId: 'User ID',
    password: 'Password',
    remember: 'Remember user ID',
    next: 'Next',
    cancel: 'Cancel',
    login: 'Log in',
    keyPrompt: 'Enter the code from your code card for key',
    code: 'Code',
    keyFile: 'Key file',
    wrongCredentials: 'Wrong user ID or password.',
    wrongCode: 'Wrong code.',
    noMatchingCertificate: 'The key file does not fit this service.',
    working: 'Logging in …',
    banner: 'SIMULATOR – not the real NemID',
  },
} as const;

export type LauncherTexts = (typeof LAUNCHER_TEXTS)['da'];
