import { SimDeployment } from '../deployment.model';

/** Where ESC sends what answers no request: the deployment's Callback-ESC-Events URL, else its Callback URL. */
export function eventsUrl(deployment: SimDeployment): string | undefined {
  return deployment.eventsCallbackUrl ?? deployment.callbackUrl;
}
