import { catalogue, type ErrorCode, type ErrorKind } from './catalogue.js';

export type Language = 'da' | 'en';

export interface UserMessage {
  readonly title: string;
  readonly advice: string;
}

// What a citizen reads. Per-kind texts cover most codes; a code gets its own text where the advice differs.
const byKind: Record<ErrorKind, Record<Language, UserMessage>> = {
  user: {
    da: { title: 'Siden kan ikke vises', advice: 'Gå tilbage til tjenesten, og start login igen.' },
    en: { title: 'This page cannot be shown', advice: 'Go back to the service and start the login again.' },
  },
  cancelled: {
    da: { title: 'Du afbrød login', advice: 'Du kan prøve igen eller gå tilbage til tjenesten.' },
    en: { title: 'You cancelled the login', advice: 'You can try again or go back to the service.' },
  },
  account: {
    da: { title: 'Din NemID kan ikke bruges her', advice: 'Kontakt NemID-support, hvis du mener, at det er en fejl.' },
    en: { title: 'Your NemID cannot be used here', advice: 'Contact NemID support if you believe this is a mistake.' },
  },
  technical: {
    da: { title: 'Der opstod en teknisk fejl', advice: 'Prøv igen om lidt.' },
    en: { title: 'A technical error occurred', advice: 'Please try again in a little while.' },
  },
  integration: {
    da: { title: 'Der opstod en teknisk fejl', advice: 'Prøv igen om lidt. Sker det igen, så kontakt support og oplys referencen.' },
    en: { title: 'A technical error occurred', advice: 'Please try again in a little while. If it happens again, contact support and give the reference.' },
  },
  security: {
    da: { title: 'Login kunne ikke gennemføres', advice: 'Start login forfra fra tjenesten.' },
    en: { title: 'The login could not be completed', advice: 'Start the login again from the service.' },
  },
};

const byCode: Partial<Record<ErrorCode, Record<Language, UserMessage>>> = {
  NOT_FOUND: {
    da: { title: 'Siden findes ikke', advice: 'Tjek adressen, eller gå tilbage til tjenesten.' },
    en: { title: 'Page not found', advice: 'Check the address or go back to the service.' },
  },
  RATE_LIMITED: {
    da: { title: 'For mange forespørgsler', advice: 'Vent et øjeblik, og prøv igen.' },
    en: { title: 'Too many requests', advice: 'Wait a moment and try again.' },
  },
  LOGIN_EXPIRED: {
    da: { title: 'Tiden til login er udløbet', advice: 'Gå tilbage til tjenesten, og start login igen.' },
    en: { title: 'The time for logging in has run out', advice: 'Go back to the service and start the login again.' },
  },
  MITID_BROKER_UNAVAILABLE: {
    da: { title: 'MitID svarer ikke lige nu', advice: 'Prøv igen om lidt, eller log ind på en anden måde.' },
    en: { title: 'MitID is not answering right now', advice: 'Try again in a little while, or log in another way.' },
  },
  MITID_LEVEL_NOT_MET: {
    da: { title: 'Dit MitID giver ikke det sikringsniveau, tjenesten kræver', advice: 'Brug MitID-appen eller en MitID-chip, og prøv igen.' },
    en: { title: 'Your MitID does not give the level of assurance the service needs', advice: 'Use the MitID app or a MitID chip and try again.' },
  },
  MITID_IDENTITY_KIND_REFUSED: {
    da: { title: 'Denne type MitID kan ikke bruges her', advice: 'Brug dit private MitID eller MitID Erhverv, som tjenesten beder om.' },
    en: { title: 'This kind of MitID cannot be used here', advice: 'Use your private MitID or MitID Erhverv, as the service asks.' },
  },
  NEMID_CERT_REVOKED: {
    da: { title: 'Din NemID er spærret', advice: 'Kontakt NemID-support for at få en ny.' },
    en: { title: 'Your NemID has been revoked', advice: 'Contact NemID support to get a new one.' },
  },
  NEMID_CERT_EXPIRED: {
    da: { title: 'Din NemID er udløbet', advice: 'Forny din NemID, og prøv igen.' },
    en: { title: 'Your NemID has expired', advice: 'Renew your NemID and try again.' },
  },
  NEMID_CERT_TYPE_NOT_ALLOWED: {
    da: { title: 'Denne type NemID kan ikke bruges her', advice: 'Brug en anden NemID, fx din personlige.' },
    en: { title: 'This kind of NemID cannot be used here', advice: 'Use another NemID, for example your personal one.' },
  },
  NEMID_YOUTH_DENIED: {
    da: { title: 'Tjenesten kræver, at du er over 18 år', advice: 'Gå tilbage til tjenesten.' },
    en: { title: 'The service requires you to be over 18', advice: 'Go back to the service.' },
  },
  NEMID_REVOCATION_UNAVAILABLE: {
    da: { title: 'Din NemID kunne ikke kontrolleres lige nu', advice: 'Prøv igen om lidt.' },
    en: { title: 'Your NemID could not be checked right now', advice: 'Please try again in a little while.' },
  },
  CPR_MISMATCH: {
    da: { title: 'CPR-nummeret passer ikke til din NemID', advice: 'Tjek nummeret, og prøv igen.' },
    en: { title: 'The CPR number does not match your NemID', advice: 'Check the number and try again.' },
  },
  CPR_FORMAT_INVALID: {
    da: { title: 'Det er ikke et gyldigt CPR-nummer', advice: 'Skriv 10 cifre, med eller uden bindestreg.' },
    en: { title: 'That is not a valid CPR number', advice: 'Type 10 digits, with or without the dash.' },
  },
  CPR_ATTEMPTS_EXCEEDED: {
    da: { title: 'CPR-nummeret passede ikke tre gange', advice: 'Af sikkerhedshensyn kan du ikke prøve flere gange i dette login. Gå tilbage til tjenesten, og prøv igen senere.' },
    en: { title: 'The CPR number did not match three times', advice: 'For your security you cannot try again in this login. Go back to the service and try again later.' },
  },
  CPR_BRUTE_FORCE: {
    da: { title: 'CPR-kontrollen er midlertidigt spærret', advice: 'Prøv igen senere.' },
    en: { title: 'CPR checking is temporarily blocked', advice: 'Please try again later.' },
  },
  CPR_NO_PID: {
    da: { title: 'Din NemID kan ikke kobles til et CPR-nummer', advice: 'Kontakt NemID-support.' },
    en: { title: 'Your NemID cannot be linked to a CPR number', advice: 'Contact NemID support.' },
  },
  BUSINESS_NO_ROLE: {
    da: { title: 'Du kan ikke repræsentere en virksomhed', advice: 'Tjenesten kræver login som virksomhed.' },
    en: { title: 'You cannot represent a business', advice: 'This service requires a business login.' },
  },
};

// A request the service sent that we cannot use (an integration fault on the SP's side, 4xx): waiting will not help.
const serviceRequest: Record<Language, UserMessage> = {
  da: { title: 'Tjenesten sendte en forespørgsel, vi ikke kan bruge', advice: 'Gå tilbage til tjenesten, og start login igen. Sker det igen, så kontakt tjenesten og oplys referencen.' },
  en: { title: 'The service sent a request we cannot use', advice: 'Go back to the service and start the login again. If it happens again, contact the service and give the reference.' },
};

export function userMessage(code: ErrorCode, language: Language): UserMessage {
  const entry = catalogue[code];
  if (!byCode[code] && entry.kind === 'integration' && entry.http >= 400 && entry.http < 500) return serviceRequest[language];
  return byCode[code]?.[language] ?? byKind[entry.kind][language];
}
