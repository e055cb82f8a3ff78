// What the screens share, kept in one place so no screen has to import another.
export const app = {
  /** What `app_info` returned: vendor name, features with their permissions, sandbox sign-in. */
  info: null,
  /** The diagnosis of an error page the user pasted, shown once its sign-in has stopped. */
  pasted: null,
  /** The features of the last sign-in, for "Try again" (null: the profile's defaults). */
  lastFeatures: null,
  /** Whose browser trip the waiting screen waits for: "recruiter" or "admin" (Cancel differs). */
  waitingFor: "recruiter",
};
