export { default } from '../../../pages/card/index.config';
