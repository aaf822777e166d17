// The app's page in the plugin (the host opens it); its links stay inside the plugin through services/routes.
import '../../setup';

export { default } from '../../../pages/code/index';
