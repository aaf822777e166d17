export { default } from '../../../pages/messages/index.config';
