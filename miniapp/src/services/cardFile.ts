// The printed card's files (H4): the PNG preview and the PDF to print. Both routes need the citizen's bearer
// token, which neither an <Image src> nor a plain link can send; Taro.downloadFile can, on both platforms:
// in the mini-program it saves a temporary file, in H5 (an XMLHttpRequest with the header) it gives a blob: URL.
// So no second, URL-borne credential exists: a card file is only ever fetched by its signed-in issuer.
// - weapp: the PDF opens in WeChat's document viewer (Taro.openDocument), whose menu prints or forwards it.
// - H5: the PDF is saved through a download link of the blob: URL (the browser's viewer prints it).
import Taro from '@tarojs/taro';
import { ApiError, cardFileRequest } from './api';
import { isH5 } from './media';

const FAILED = '卡片文件下载失败，请稍后重试';

/** The local path (weapp) or blob: URL (H5) of the card's file; throws an ApiError with the reason. */
export async function downloadCardFile(cardId: number, format: 'pdf' | 'png'): Promise<string> {
  const { url, header } = cardFileRequest(cardId, format);
  let res: { statusCode: number; tempFilePath: string };
  try {
    res = await Taro.downloadFile({ url, header });
  } catch {
    throw new ApiError('网络连接失败，请稍后重试', 0, 'NETWORK');
  }
  if (res.statusCode === 200 && res.tempFilePath) return res.tempFilePath;
  if (res.statusCode === 409) throw new ApiError('该卡片已作废或已过期，不能再打印', 409, 'CARD_NOT_ACTIVE');
  if (res.statusCode === 401) throw new ApiError('登录已失效，请重新登录', 401, 'UNAUTHENTICATED');
  throw new ApiError(FAILED, res.statusCode, `HTTP_${res.statusCode}`);
}

/** 下载/打印 PDF: WeChat's document viewer on weapp, a file download in H5. */
export async function openCardPdf(cardId: number): Promise<void> {
  const path = await downloadCardFile(cardId, 'pdf');
  if (isH5()) {
    const a = document.createElement('a');
    a.href = path;
    a.download = `健康码卡片-${cardId}.pdf`;
    a.target = '_blank';
    a.rel = 'noopener';
    document.body.appendChild(a);
    a.click();
    a.remove();
    return;
  }
  await Taro.openDocument({ filePath: path, fileType: 'pdf', showMenu: true });
}
